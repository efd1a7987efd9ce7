import { createActor, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, type InspectionEvent } from 'xstate';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
import type { RuntimeConfig } from '../runtime/config.ts';
import { digestEntityMachine } from './digestEntity.ts';
import type { ModelEvent, ModelEventType } from './modelEvents.ts';
import { runnerLifecycleMachine } from './runnerLifecycle.ts';
import { wakeStreamMachine } from './wakeStream.ts';
import { wiringChainMachine } from './wiringChain.ts';

/** The four machines of the composed model, by the name used in reports and docs. */
export const MODEL_MACHINES = {
  runnerLifecycle: runnerLifecycleMachine,
  wiringChain: wiringChainMachine,
  wakeStream: wakeStreamMachine,
  digestEntity: digestEntityMachine,
} as const;

export type MachineName = keyof typeof MODEL_MACHINES;

/** An event the model did not accept in its current state. */
export interface ConformanceFailure {
  readonly machine: MachineName;
  readonly machineState: string;
  readonly event: ModelEvent;
  /** Every machine's state when it happened. */
  readonly modelState: string;
}

const RUNNER_EVENTS = new Set<ModelEventType>(['RUNNER_START', 'RUNNER_STATE', 'WAKE_READ', 'CLAIM_SETTLED', 'PROCESS_EXIT']);
const WAKE_STREAM_EVENTS = new Set<ModelEventType>([
  'WAKE_APPENDED',
  'LEASE_GRANTED',
  'LEASE_RELEASED',
  'LEASE_EXPIRED',
  'WAKE_READ',
  'CLAIM_SETTLED',
  'REGISTERED',
  'HEARTBEAT_STORED',
  'RUNNER_START',
]);
const WIRING_EVENTS = new Set<ModelEventType>([
  'OBSERVE',
  'PRELOAD_FAILED',
  'HANDLE_WIRED',
  'WIRING_FAILED',
  'OBSERVE_RESOLVED',
  'MANIFEST_COMMITTED',
  'WAKE_FAILED',
  'WAKE_ACKED',
  'WAKE_ACK_FAILED',
  'WAKE_ABANDONED',
]);
const ENTITY_EVENTS = new Set<ModelEventType>([
  'OCCURRENCE_DUE',
  'LEASE_RELEASED',
  'WAKE_START',
  'HANDLE_WIRED',
  'OBSERVE_RESOLVED',
  'CHECK',
  'ACTION',
  'RECORDED',
  'MANIFEST_COMMITTED',
  'WAKE_FAILED',
  'WAKE_ACKED',
  'WAKE_ACK_FAILED',
  'WAKE_ABANDONED',
  'PROCESS_EXIT',
]);

interface WakeInModel {
  readonly process: string;
  readonly wakeId: string;
  readonly actor: AnyActorRef;
}

/** A state value as a dotted path per region: `running.streaming`, `lease.leased+replay.clean`. */
export function stateName(snapshot: AnyMachineSnapshot): string {
  const flatten = (value: unknown, prefix: string): string[] => {
    if (typeof value === 'string') return [`${prefix}${value}`];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => flatten(child, `${prefix}${key}.`));
  };
  return flatten(snapshot.value, '').join('+');
}

/**
 * The composed model: a runner lifecycle per host process, the wake stream, a wiring chain per wake and the digest
 * entity, each stepped with XState's pure `transition`. Every abstract event goes to the machines that follow it; a
 * machine that cannot take it in its current state (`snapshot.can`) is a conformance failure. Violation states are
 * tagged `violation` plus the property name.
 */
export class SystemModel {
  private readonly runners = new Map<string, AnyActorRef>();
  private readonly wakeStream: AnyActorRef;
  private readonly entity: AnyActorRef;
  /** The wake doing work, and wakes the server already released that still wait for their ack answer. */
  private wiring: WakeInModel | undefined;
  private readonly closing = new Map<string, WakeInModel>();
  private readonly violationTags = new Set<string>();

  /**
   * Machines run as started actors: far cheaper per event than the pure `transition`. An `observer` (coverage) sees
   * every transition taken and every state entered, through XState's inspection API.
   */
  constructor(
    private readonly config: RuntimeConfig,
    private readonly observer?: ModelObserver,
  ) {
    this.wakeStream = this.start('wakeStream', wakeStreamMachine, { offsetMode: config.offset });
    this.entity = this.start('digestEntity', digestEntityMachine, { idempotency: config.idempotency });
  }

  /** Violation properties the model reached so far (`duplicate-action`, `unwired-resolve`, `wake-replay`). */
  get violations(): ReadonlySet<string> {
    return this.violationTags;
  }

  /** Applies one event; returns the failure when a machine that follows it cannot take it. */
  apply(event: ModelEvent): ConformanceFailure | undefined {
    if (event.type === 'PROCESS_START') {
      if (!this.runners.has(event.process)) {
        this.runners.set(event.process, this.start('runnerLifecycle', runnerLifecycleMachine, { offsetMode: this.config.offset }));
      }
      return undefined;
    }
    if (event.type === 'WAKE_START') {
      // One wake of the entity does work at a time: a second one while the first holds its lease is a failure.
      if (this.wiring) return this.failure('wiringChain', `${stateName(this.wiring.actor.getSnapshot())} (${this.wiring.wakeId} still active)`, event);
      const restored = (this.entity.getSnapshot().context as { manifest: boolean }).manifest;
      const actor = this.start('wiringChain', wiringChainMachine, { wiring: this.config.wiring, restored });
      this.wiring = { process: event.process, wakeId: event.wakeId, actor };
    }
    if (RUNNER_EVENTS.has(event.type) && 'process' in event) {
      const runner = this.runners.get(event.process);
      if (!runner) return this.failure('runnerLifecycle', `no process ${event.process}`, event);
      const failure = this.step('runnerLifecycle', runner, event);
      if (failure) return failure;
    }
    if (WAKE_STREAM_EVENTS.has(event.type)) {
      const failure = this.step('wakeStream', this.wakeStream, event);
      if (failure) return failure;
    }
    if (WIRING_EVENTS.has(event.type) && 'process' in event) {
      const wake = 'wakeId' in event ? (this.closing.get(event.wakeId) ?? (this.wiring?.wakeId === event.wakeId ? this.wiring : undefined)) : this.wiring;
      if (!wake || wake.process !== event.process) return this.failure('wiringChain', this.wiring ? `wake ${this.wiring.wakeId} in ${this.wiring.process}` : 'no wake', event);
      const failure = this.step('wiringChain', wake.actor, event);
      if (failure) return failure;
      if (wake.actor.getSnapshot().status === 'done') this.forget(wake);
    }
    if (event.type === 'LEASE_RELEASED' && this.wiring) {
      this.closing.set(this.wiring.wakeId, this.wiring);
      this.wiring = undefined;
    }
    if (event.type === 'PROCESS_EXIT') {
      if (this.wiring?.process === event.process) this.wiring = undefined;
      for (const [wakeId, wake] of this.closing) if (wake.process === event.process) this.closing.delete(wakeId);
    }
    if (ENTITY_EVENTS.has(event.type)) {
      const failure = this.step('digestEntity', this.entity, event);
      if (failure) return failure;
    }
    return undefined;
  }

  /** Every machine's current state, for reports. */
  describe(): string {
    const runners = [...this.runners].map(([process, actor]) => `runner ${process}: ${stateName(actor.getSnapshot())}`);
    const wiring = this.wiring ? `wiring (${this.wiring.process}): ${stateName(this.wiring.actor.getSnapshot())}` : 'wiring: no wake';
    return [...runners, `wakeStream: ${stateName(this.wakeStream.getSnapshot())}`, wiring, `digestEntity: ${stateName(this.entity.getSnapshot())}`].join('; ');
  }

  private start(machine: MachineName, logic: AnyStateMachine, input: unknown): AnyActorRef {
    const observer = this.observer;
    const inspect = observer
      ? (inspection: InspectionEvent): void => {
          if (inspection.type !== '@xstate.microstep' && inspection.type !== '@xstate.snapshot') return;
          if (inspection.type === '@xstate.microstep') for (const definition of inspection._transitions) observer.transitionTaken(machine, definition);
          observer.stateEntered(machine, inspection.snapshot as AnyMachineSnapshot);
        }
      : undefined;
    return createActor(logic, { input, ...(inspect ? { inspect } : {}) }).start();
  }

  private forget(wake: WakeInModel): void {
    if (this.wiring === wake) this.wiring = undefined;
    this.closing.delete(wake.wakeId);
  }

  /** One machine step; a failure when the machine cannot take the event in its current state. */
  private step(machine: MachineName, actor: AnyActorRef, event: ModelEvent): ConformanceFailure | undefined {
    const before: AnyMachineSnapshot = actor.getSnapshot();
    if (!before.can(event)) return this.failure(machine, stateName(before), event);
    actor.send(event);
    const after: AnyMachineSnapshot = actor.getSnapshot();
    for (const tag of after.tags as Set<string>) if (tag !== 'violation') this.violationTags.add(tag);
    return undefined;
  }

  private failure(machine: MachineName, machineState: string, event: ModelEvent): ConformanceFailure {
    return { machine, machineState, event, modelState: this.describe() };
  }
}
