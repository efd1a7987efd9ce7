import type { AnyStateMachine } from 'xstate';
import type { AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { ModelEventType } from './modelEvents.ts';
import { runnerLifecycleMachine } from './runtime/runnerLifecycle.ts';
import { wiringChainMachine } from './runtime/wiringChain.ts';
import { digestEntityMachine } from './system/digestEntity.ts';
import { serverRunnerMachine } from './system/serverRunner.ts';
import { wakeStreamMachine } from './system/wakeStream.ts';

/**
 * Every machine of the composed model, by the name used in reports and docs: first the system models, fed only by
 * what the simulated services observed and the scenario's entity code saw, which apply to any runtime; then the
 * models of a runtime's internals, fed by its annotations, which apply to a runtime that declares their vocabulary.
 */
export const MODEL_MACHINES = {
  serverRunner: serverRunnerMachine,
  wakeStream: wakeStreamMachine,
  digestEntity: digestEntityMachine,
  runnerLifecycle: runnerLifecycleMachine,
  wiringChain: wiringChainMachine,
} as const;

export type MachineName = keyof typeof MODEL_MACHINES;

/** The machines a caller may swap for variants (a test plants a wrong model), by name. */
export type ModelMachines = { readonly [name in MachineName]: AnyStateMachine };

/** The runtime layer: each machine and the annotation vocabulary that feeds it. */
export const RUNTIME_MACHINES: Readonly<Partial<Record<MachineName, AnnotationVocabulary>>> = {
  runnerLifecycle: 'runner-lifecycle',
  wiringChain: 'wiring-chain',
};

/**
 * Which abstract events each machine follows. The runtime machines also follow a few system events (a probe, the
 * server's release of a lease, the end of a process) that place what the runtime says among what the world saw.
 */
export const FOLLOWED_EVENTS: Readonly<Record<MachineName, ReadonlySet<ModelEventType>>> = {
  serverRunner: new Set(['REGISTERED', 'WAKE_STREAM_READ', 'CLAIM_ANSWERED', 'DONE_RECEIVED', 'HEARTBEAT_STORED', 'STOP_REQUESTED', 'PROCESS_EXIT']),
  wakeStream: new Set([
    'WAKE_APPENDED',
    'WAKE_UNANNOUNCED',
    'LEASE_GRANTED',
    'LEASE_RELEASED',
    'LEASE_EXPIRED',
    'WAKE_DROPPED',
    'REGISTERED',
    'HEARTBEAT_STORED',
    'WAKE_STREAM_READ',
    'CLAIM_ANSWERED',
    'DONE_RECEIVED',
  ]),
  digestEntity: new Set([
    'OCCURRENCE_DUE',
    'SHARED_READ',
    'OCCURRENCE_STORED',
    'HANDLER_START',
    'OBSERVE_RESOLVED',
    'CHECK',
    'ACTION',
    'ACTION_DEDUPLICATED',
    'RECORDED',
    'HANDLER_END',
    'PROCESS_EXIT',
  ]),
  runnerLifecycle: new Set(['RUNNER_START', 'RUNNER_STATE', 'WAKE_READ', 'CLAIM_SETTLED', 'PROCESS_EXIT']),
  wiringChain: new Set([
    'OBSERVE',
    'PRELOAD_FAILED',
    'HANDLE_WIRED',
    'WIRING_FAILED',
    'HANDLER_START',
    'OBSERVE_RESOLVED',
    'HANDLER_END',
    'MANIFEST_STORED',
    'MANIFEST_COMMITTED',
    'WAKE_FAILED',
    'WAKE_ACKED',
    'WAKE_ACK_FAILED',
    'WAKE_ABANDONED',
    'LEASE_RELEASED',
    'CLAIM_LOST',
  ]),
};
