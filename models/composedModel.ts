import { createActor, type AnyMachineSnapshot, type AnyStateMachine, type InspectionEvent } from 'xstate';
import { modelConfigOf, type ModelConfig } from './modelConfig.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import { faultsMayFailRequests } from '../world/faults/requestFailures.ts';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
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

/** Which abstract events each machine follows. */
export const FOLLOWED_EVENTS: Readonly<Record<MachineName, ReadonlySet<ModelEventType>>> = {
  runnerLifecycle: new Set(['RUNNER_START', 'RUNNER_STATE', 'WAKE_READ', 'CLAIM_SETTLED', 'PROCESS_EXIT']),
  wakeStream: new Set([
    'WAKE_APPENDED',
    'LEASE_GRANTED',
    'LEASE_RELEASED',
    'LEASE_EXPIRED',
    'WAKE_READ',
    'CLAIM_SETTLED',
    'REGISTERED',
    'HEARTBEAT_STORED',
    'RUNNER_START',
  ]),
  wiringChain: new Set([
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
    'LEASE_RELEASED',
  ]),
  digestEntity: new Set([
    'OCCURRENCE_DUE',
    'LEASE_RELEASED',
    'WAKE_START',
    'HANDLE_WIRED',
    'OBSERVE_RESOLVED',
    'CHECK',
    'ACTION',
    'RECORDED',
    'MANIFEST_COMMITTED',
    'MANIFEST_STORED',
    'OCCURRENCE_STORED',
    'WAKE_FAILED',
    'WAKE_ACKED',
    'WAKE_ACK_FAILED',
    'WAKE_ABANDONED',
    'PROCESS_EXIT',
  ]),
};

/** One wake's wiring chain. */
export interface WakeSlot {
  readonly process: string;
  readonly wakeId: string;
  readonly snapshot: AnyMachineSnapshot;
}

/**
 * The composed model's state: a runner lifecycle per host process, the wake stream, the entity, the wiring chain of
 * the wake doing work, and those of wakes the server already released that still wait for their ack answer. Plain
 * data: it can be compared, serialised and branched, which model checking needs.
 */
export interface ComposedState {
  readonly runners: ReadonlyArray<readonly [string, AnyMachineSnapshot]>;
  readonly wakeStream: AnyMachineSnapshot;
  readonly entity: AnyMachineSnapshot;
  readonly active: WakeSlot | undefined;
  readonly closing: readonly WakeSlot[];
}

/** An event the model did not accept in its current state. */
export interface ConformanceFailure {
  readonly machine: MachineName;
  readonly machineState: string;
  readonly event: ModelEvent;
  /** Every machine's state when it happened. */
  readonly modelState: string;
}

export type StepResult = { readonly state: ComposedState; readonly failure?: undefined } | { readonly state?: undefined; readonly failure: ConformanceFailure };

/** A state value as a dotted path per region: `running.streaming`, `lease.leased+replay.clean`. */
export function stateName(snapshot: AnyMachineSnapshot): string {
  const flatten = (value: unknown, prefix: string): string[] => {
    if (typeof value === 'string') return [`${prefix}${value}`];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => flatten(child, `${prefix}${key}.`));
  };
  return flatten(snapshot.value, '').join('+');
}

/** Every machine's state, for reports. */
export function describeComposed(state: ComposedState): string {
  const runners = state.runners.map(([process, snapshot]) => `runner ${process}: ${stateName(snapshot)}`);
  const wiring = state.active ? `wiring (${state.active.process}): ${stateName(state.active.snapshot)}` : 'wiring: no wake';
  return [...runners, `wakeStream: ${stateName(state.wakeStream)}`, wiring, `digestEntity: ${stateName(state.entity)}`].join('; ');
}

/** Violation properties (`duplicate-action`, `unwired-resolve`, `wake-replay`) whose states the model is in. */
export function violationTags(state: ComposedState): Set<string> {
  const snapshots = [state.wakeStream, state.entity, ...(state.active ? [state.active.snapshot] : []), ...state.closing.map((slot) => slot.snapshot)];
  const tags = new Set<string>();
  for (const snapshot of snapshots) for (const tag of snapshot.tags as Set<string>) if (tag !== 'violation') tags.add(tag);
  return tags;
}

/**
 * Steps the composed model purely: every abstract event goes to the machines that follow it, and a machine that
 * cannot take it in its current state (`snapshot.can`) is a conformance failure. Each machine is stepped with
 * `machine.transition` inside one long-lived actor scope (an order of magnitude cheaper than the free `transition`
 * function, which builds a scope per call); an `observer` sees every transition through XState's inspection API.
 */
export class ComposedModel {
  private readonly scopes: Record<MachineName, unknown>;

  /**
   * `faults` are the fault kinds the run may use: the model allows what they can cause and nothing more (a wake that
   * fails with nothing wrong in its wiring needs an agents-server restart).
   */
  readonly config: ModelConfig;

  constructor(
    switches: Readonly<Record<string, string>>,
    readonly faults: readonly FaultKind[],
    observer?: ModelObserver,
  ) {
    const config = modelConfigOf(switches);
    this.config = config;
    const scopeFor = (machine: MachineName, input: unknown): unknown => {
      const inspect = observer
        ? (inspection: InspectionEvent): void => {
            if (inspection.type !== '@xstate.microstep') return;
            for (const definition of inspection._transitions) observer.transitionTaken(machine, definition);
            observer.stateEntered(machine, inspection.snapshot as AnyMachineSnapshot);
          }
        : undefined;
      const actor = createActor(MODEL_MACHINES[machine] as AnyStateMachine, { input, ...(inspect ? { inspect } : {}) }).start();
      return (actor as unknown as { _actorScope: unknown })._actorScope;
    };
    this.scopes = {
      runnerLifecycle: scopeFor('runnerLifecycle', { offsetMode: config.offset }),
      wakeStream: scopeFor('wakeStream', { offsetMode: config.offset }),
      wiringChain: scopeFor('wiringChain', { wiring: config.wiring, restored: false, serverMayFail: faultsMayFailRequests(faults) }),
      digestEntity: scopeFor('digestEntity', { idempotency: config.idempotency, requestsMayFail: faultsMayFailRequests(faults) }),
    };
  }

  initial(): ComposedState {
    return {
      runners: [],
      wakeStream: this.initialSnapshot('wakeStream', { offsetMode: this.config.offset }),
      entity: this.initialSnapshot('digestEntity', { idempotency: this.config.idempotency, requestsMayFail: faultsMayFailRequests(this.faults) }),
      active: undefined,
      closing: [],
    };
  }

  step(state: ComposedState, event: ModelEvent): StepResult {
    let { runners, wakeStream, entity, active, closing } = state;
    const fail = (machine: MachineName, machineState: string): StepResult => ({ failure: { machine, machineState, event, modelState: describeComposed(state) } });

    if (event.type === 'PROCESS_START') {
      if (runners.some(([process]) => process === event.process)) return { state };
      return { state: { ...state, runners: [...runners, [event.process, this.initialSnapshot('runnerLifecycle', { offsetMode: this.config.offset })]] } };
    }
    if (event.type === 'WAKE_START') {
      // One wake of the entity does work at a time: a second one while the first holds its lease is a failure.
      if (active) return fail('wiringChain', `${stateName(active.snapshot)} (${active.wakeId} still active)`);
      const restored = (entity.context as { manifest: boolean }).manifest;
      const serverMayFail = faultsMayFailRequests(this.faults);
      active = { process: event.process, wakeId: event.wakeId, snapshot: this.initialSnapshot('wiringChain', { wiring: this.config.wiring, restored, serverMayFail }) };
    }
    if (FOLLOWED_EVENTS.runnerLifecycle.has(event.type) && 'process' in event) {
      const index = runners.findIndex(([process]) => process === event.process);
      if (index < 0) return fail('runnerLifecycle', `no process ${event.process}`);
      const next = this.transition('runnerLifecycle', runners[index]![1], event);
      if (!next) return fail('runnerLifecycle', stateName(runners[index]![1]));
      runners = runners.map((entry, position) => (position === index ? [entry[0], next] : entry));
    }
    if (FOLLOWED_EVENTS.wakeStream.has(event.type)) {
      const next = this.transition('wakeStream', wakeStream, event);
      if (!next) return fail('wakeStream', stateName(wakeStream));
      wakeStream = next;
    }
    if (event.type === 'LEASE_RELEASED' && active) {
      // The ack of the wake doing work reached the server: its chain must be finished, and it starts closing.
      const next = this.transition('wiringChain', active.snapshot, event);
      if (!next) return fail('wiringChain', stateName(active.snapshot));
      closing = [...closing, { ...active, snapshot: next }];
      active = undefined;
    }
    if (FOLLOWED_EVENTS.wiringChain.has(event.type) && 'process' in event) {
      const slot = 'wakeId' in event ? (closing.find((candidate) => candidate.wakeId === event.wakeId) ?? (active?.wakeId === event.wakeId ? active : undefined)) : active;
      if (!slot || slot.process !== event.process) return fail('wiringChain', active ? `wake ${active.wakeId} in ${active.process}` : 'no wake');
      const next = this.transition('wiringChain', slot.snapshot, event);
      if (!next) return fail('wiringChain', stateName(slot.snapshot));
      const done = next.status === 'done';
      if (slot === active) active = done ? undefined : { ...slot, snapshot: next };
      else closing = done ? closing.filter((candidate) => candidate !== slot) : closing.map((candidate) => (candidate === slot ? { ...slot, snapshot: next } : candidate));
    }
    if (event.type === 'PROCESS_EXIT') {
      if (active?.process === event.process) active = undefined;
      closing = closing.filter((slot) => slot.process !== event.process);
    }
    if (FOLLOWED_EVENTS.digestEntity.has(event.type)) {
      const next = this.transition('digestEntity', entity, event);
      if (!next) return fail('digestEntity', stateName(entity));
      entity = next;
    }
    return { state: { runners, wakeStream, entity, active, closing } };
  }

  /** The machine's initial snapshot, computed in its scope so that an observer sees the initial transitions too. */
  private initialSnapshot(machine: MachineName, input: unknown): AnyMachineSnapshot {
    const logic = MODEL_MACHINES[machine] as unknown as { getInitialSnapshot(scope: unknown, input: unknown): AnyMachineSnapshot };
    return logic.getInitialSnapshot(this.scopes[machine], input);
  }

  /** The machine's next snapshot, or undefined when it cannot take the event in its current state. */
  private transition(machine: MachineName, snapshot: AnyMachineSnapshot, event: ModelEvent): AnyMachineSnapshot | undefined {
    if (!snapshot.can(event)) return undefined;
    const logic = MODEL_MACHINES[machine] as unknown as { transition(snapshot: unknown, event: unknown, scope: unknown): AnyMachineSnapshot };
    return logic.transition(snapshot, event, this.scopes[machine]);
  }
}
