import { createActor, type AnyMachineSnapshot, type AnyStateNode, type InspectionEvent } from 'xstate';
import { ANNOTATION_VOCABULARIES, type AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import { faultsMayFailRequests } from '../world/faults/requestFailures.ts';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
import { modelConfigOf, resumeSourceOf, type CatchUpMode, type ModelConfig, type OffsetMode } from './modelConfig.ts';
import type { ModelEvent } from './modelEvents.ts';
import { FOLLOWED_EVENTS, MODEL_MACHINES, RUNTIME_MACHINES, type MachineName, type ModelMachines } from './modelLayers.ts';
import { TransitionMemo, type MemoisedStep, type RecordedMicrostep } from './TransitionMemo.ts';
import type { DigestEntityContext } from './system/digestEntity.ts';

export { FOLLOWED_EVENTS, MODEL_MACHINES, type MachineName } from './modelLayers.ts';

/** One wake's wiring chain (runtime layer). */
export interface WakeSlot {
  readonly process: string;
  readonly wakeId: string;
  readonly snapshot: AnyMachineSnapshot;
  /** The wake's lease ended (expired, or a Durable Streams restart lost it) while the wake was still doing work. */
  readonly leaseEnded?: boolean;
}

/**
 * The composed model's state. System layer: the servers' view of each host process's runner, the wake stream, the
 * entity. Runtime layer (empty for vocabularies the run does not have): each process's runner lifecycle, whether the
 * server stored manifest rows (a wake started now restores the handle), the wiring chain of the wake doing work, and
 * those of wakes the server already released that still wait for their ack answer. Plain data: it can be compared,
 * serialised and branched, which model checking needs.
 */
export interface ComposedState {
  readonly runners: ReadonlyArray<readonly [string, AnyMachineSnapshot]>;
  readonly wakeStream: AnyMachineSnapshot;
  readonly entity: AnyMachineSnapshot;
  readonly lifecycles: ReadonlyArray<readonly [string, AnyMachineSnapshot]>;
  readonly manifest: boolean;
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

/** The next state, and the violation properties whose states the step entered (once per entry). */
export type StepResult =
  | { readonly state: ComposedState; readonly entered: readonly string[]; readonly failure?: undefined }
  | { readonly state?: undefined; readonly entered?: undefined; readonly failure: ConformanceFailure };

/** Options of a {@link ComposedModel}. */
export interface ComposedModelOptions {
  /** The annotation vocabularies the run has: their runtime machines join the system ones (all by default). */
  readonly annotations?: readonly AnnotationVocabulary[];
  /** Sees every transition, for coverage. */
  readonly observer?: ModelObserver;
  /** Machines to use instead of the project's own (a test plants a wrong model this way). */
  readonly machines?: Partial<ModelMachines>;
  /**
   * Step every machine through XState, without the shared transition memo: the reference the memoised model is
   * tested against. Default false.
   */
  readonly interpreted?: boolean;
  /**
   * Let a second wake start beside one whose lease ended under it whatever the lease switches say. Conformance leaves
   * this off: a runtime that neither renews nor fences its lease never learns that it lost it, so a second wake beside
   * its first is the hazard the models report. Model checking turns it on to ask what that hazard leads to (a
   * duplicate, say): the composed model then allows what such a runtime does, not only what it should do.
   */
  readonly admitLeaseOverrun?: boolean;
}

/** One memo per machine logic, shared by every composed model in the process (a planted machine gets its own). */
const MEMOS = new WeakMap<object, TransitionMemo>();

function memoOf(logic: object): TransitionMemo {
  let memo = MEMOS.get(logic);
  if (!memo) {
    memo = new TransitionMemo();
    MEMOS.set(logic, memo);
  }
  return memo;
}

/**
 * Where the shared actor scopes' inspection sends the microsteps of the machine step in progress: set by the model
 * that steps, around each call into XState (steps are synchronous, so one model steps at a time).
 */
let recordingMicrosteps: RecordedMicrostep[] = [];

const recordMicrostep = (inspection: InspectionEvent): void => {
  if (inspection.type !== '@xstate.microstep') return;
  recordingMicrosteps.push({ transitions: inspection._transitions, snapshot: inspection.snapshot as AnyMachineSnapshot });
};

/**
 * One long-lived actor scope per machine logic, shared by every composed model in the process: starting five actors
 * for each run cost more than a run's memoised steps. A scope carries no state of a run — the machines are pure, and
 * a step's snapshot and input are passed in — only the inspection hook, which writes where {@link recordingMicrosteps}
 * points.
 */
const SCOPES = new WeakMap<object, unknown>();

function scopeOf(logic: ModelMachines[MachineName], input: unknown): unknown {
  let scope = SCOPES.get(logic);
  if (scope === undefined) {
    const actor = createActor(logic, { input, inspect: recordMicrostep }).start();
    scope = (actor as unknown as { _actorScope: unknown })._actorScope;
    SCOPES.set(logic, scope);
  }
  return scope;
}

/** Canonical text of an event or input; `undefined` written out so that an absent and an undefined field differ. */
function canonicalText(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (field === undefined ? '\u0000undefined' : field));
}

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
  const runners = state.runners.map(([process, snapshot]) => `serverRunner ${process}: ${stateName(snapshot)}`);
  const lifecycles = state.lifecycles.map(([process, snapshot]) => `runnerLifecycle ${process}: ${stateName(snapshot)}`);
  const wiring = state.active ? [`wiringChain (${state.active.process}): ${stateName(state.active.snapshot)}`] : [];
  return [...runners, `wakeStream: ${stateName(state.wakeStream)}`, `digestEntity: ${stateName(state.entity)}`, ...lifecycles, ...wiring].join('; ');
}

/** Violation properties (`duplicate-action`, `unwired-resolve`, `wake-replay`) whose states the model is in. */
export function violationTags(state: ComposedState): Set<string> {
  const snapshots = [state.wakeStream, state.entity, ...(state.active ? [state.active.snapshot] : []), ...state.closing.map((slot) => slot.snapshot)];
  const tags = new Set<string>();
  for (const snapshot of snapshots) for (const tag of snapshot.tags as Set<string>) if (tag !== 'violation') tags.add(tag);
  return tags;
}

/**
 * `slot` in machine state `snapshot`. Written out, not `{ ...slot, snapshot }`: V8 (Node 20) pays a slow path for a
 * spread copy given a property, and this is on every wiring event conformance follows.
 */
function withSnapshot(slot: WakeSlot, snapshot: AnyMachineSnapshot): WakeSlot {
  const { process, wakeId, leaseEnded } = slot;
  return leaseEnded === undefined ? { process, wakeId, snapshot } : { process, wakeId, snapshot, leaseEnded };
}

/** A wake of `process` lingers after its lease ended (it has not noticed yet): its steps are followed apart. */
const lingersIn = (closing: readonly WakeSlot[], process: string): boolean => closing.some((slot) => slot.leaseEnded === true && slot.process === process);

/** The violation property a state node stands for, if it is a violation state. */
function violationOf(node: AnyStateNode): string | undefined {
  const tags = node.tags as readonly string[];
  return tags.includes('violation') ? tags.find((tag) => tag !== 'violation') : undefined;
}

/**
 * Steps the composed model purely: every abstract event goes to the machines that follow it, and a machine that
 * cannot take it in its current state (`snapshot.can`) is a conformance failure. The runtime layer's machines take
 * part only for the annotation vocabularies given. Each machine is stepped with `machine.transition` inside one
 * long-lived actor scope (an order of magnitude cheaper than the free `transition` function, which builds a scope per
 * call); XState's inspection API shows every transition taken, to an observer (coverage) and to the step itself (which
 * violation states it entered).
 */
export class ComposedModel {
  readonly config: ModelConfig;
  private readonly machines: ModelMachines;
  private readonly scopes: Record<MachineName, unknown>;
  /** Runtime machines of the declared vocabularies. */
  private readonly runtime: ReadonlySet<MachineName>;
  /** Violation properties entered by the step in progress. */
  private entered: string[] = [];
  private readonly observer: ModelObserver | undefined;
  private readonly memoised: boolean;
  private readonly admitLeaseOverrun: boolean;
  /** The last event given a canonical text, and that text: one event goes to several machines. */
  private keyedEvent: ModelEvent | undefined;
  private keyedText = '';

  /**
   * `faults` are the fault kinds the run may use: the model allows what they can cause and nothing more (a wired
   * insert that fails needs an agents-server restart).
   */
  constructor(
    private readonly switches: Readonly<Record<string, string>>,
    readonly faults: readonly FaultKind[],
    options: ComposedModelOptions = {},
  ) {
    const config = modelConfigOf(switches);
    this.config = config;
    this.machines = { ...MODEL_MACHINES, ...options.machines };
    const vocabularies = new Set(options.annotations ?? ANNOTATION_VOCABULARIES);
    this.runtime = new Set((Object.entries(RUNTIME_MACHINES) as Array<[MachineName, AnnotationVocabulary]>).filter(([, vocabulary]) => vocabularies.has(vocabulary)).map(([name]) => name));
    this.observer = options.observer;
    this.memoised = !options.interpreted;
    this.admitLeaseOverrun = options.admitLeaseOverrun === true;
    // The input only starts the scope's actor the first time a machine is met; steps pass their own.
    this.scopes = {
      serverRunner: scopeOf(this.machines.serverRunner, this.serverRunnerInput()),
      wakeStream: scopeOf(this.machines.wakeStream, this.wakeStreamInput()),
      digestEntity: scopeOf(this.machines.digestEntity, this.entityInput()),
      runnerLifecycle: scopeOf(this.machines.runnerLifecycle, { offsetMode: config.offset }),
      wiringChain: scopeOf(this.machines.wiringChain, this.wiringInput(false)),
    };
  }

  initial(): ComposedState {
    this.entered = [];
    return {
      runners: [],
      wakeStream: this.initialSnapshot('wakeStream', this.wakeStreamInput()),
      entity: this.initialSnapshot('digestEntity', this.entityInput()),
      lifecycles: [],
      manifest: false,
      active: undefined,
      closing: [],
    };
  }

  step(state: ComposedState, event: ModelEvent): StepResult {
    this.entered = [];
    let { runners, wakeStream, entity, lifecycles, manifest, active, closing } = state;
    const wiring = this.runtime.has('wiringChain');

    if (event.type === 'PROCESS_START') {
      if (runners.some(([process]) => process === event.process)) return { state, entered: [] };
      runners = [...runners, [event.process, this.initialSnapshot('serverRunner', this.serverRunnerInput())]];
      if (this.runtime.has('runnerLifecycle')) lifecycles = [...lifecycles, [event.process, this.initialSnapshot('runnerLifecycle', { offsetMode: this.config.offset })]];
      return { state: { ...state, runners, lifecycles }, entered: [] };
    }
    if (event.type === 'MANIFEST_STORED') manifest = true;
    if (event.type === 'WAKE_START') {
      if (!wiring) return { state, entered: [] };
      // One wake of the entity does work at a time: a second one while the first holds its lease is a failure. A runtime
      // that renews its lease learns that it lost it at its next renewal (or, with a fence, at its own deadline), and
      // abandons the wake at its next step: until then the old wake lingers beside the new one, followed apart (the
      // oracles judge what it does meanwhile). One that does neither never learns: its wake runs on to its end beside
      // the next, which only model checking admits (`admitLeaseOverrun`).
      if (active?.leaseEnded === true && (this.leaseMayBeLost() || this.admitLeaseOverrun)) {
        closing = [...closing, active];
        active = undefined;
      }
      if (active) return this.fail(state, event, 'wiringChain', `${stateName(active.snapshot)} (${active.wakeId} still active)`);
      active = { process: event.process, wakeId: event.wakeId, snapshot: this.initialSnapshot('wiringChain', this.wiringInput(manifest)) };
    }
    // The runtime runs an entity's handler only inside a wake it started.
    if (event.type === 'HANDLER_START' && wiring && active?.process !== event.process && !lingersIn(closing, event.process)) return this.fail(state, event, 'wiringChain', active ? `wake ${active.wakeId} in ${active.process}` : 'no wake');

    if (FOLLOWED_EVENTS.serverRunner.has(event.type) && 'process' in event) {
      const index = runners.findIndex(([process]) => process === event.process);
      if (index < 0) return this.fail(state, event, 'serverRunner', `no process ${event.process}`);
      const next = this.transition('serverRunner', runners[index]![1], event);
      if (!next) return this.fail(state, event, 'serverRunner', stateName(runners[index]![1]));
      runners = runners.map((entry, position) => (position === index ? [entry[0], next] : entry));
    }
    if (FOLLOWED_EVENTS.wakeStream.has(event.type)) {
      const next = this.transition('wakeStream', wakeStream, event);
      if (!next) return this.fail(state, event, 'wakeStream', stateName(wakeStream));
      wakeStream = next;
    }
    if (this.runtime.has('runnerLifecycle') && FOLLOWED_EVENTS.runnerLifecycle.has(event.type) && 'process' in event) {
      const index = lifecycles.findIndex(([process]) => process === event.process);
      if (index < 0) return this.fail(state, event, 'runnerLifecycle', `no process ${event.process}`);
      const next = this.transition('runnerLifecycle', lifecycles[index]![1], event);
      if (!next) return this.fail(state, event, 'runnerLifecycle', stateName(lifecycles[index]![1]));
      lifecycles = lifecycles.map((entry, position) => (position === index ? [entry[0], next] : entry));
    }
    if (wiring && event.type === 'LEASE_EXPIRED' && active) active = { process: active.process, wakeId: active.wakeId, snapshot: active.snapshot, leaseEnded: true };
    if (wiring && event.type === 'LEASE_RELEASED' && active) {
      // The ack of the wake doing work reached the server: its chain must be finished, and it starts closing.
      const next = this.transition('wiringChain', active.snapshot, event);
      if (!next) return this.fail(state, event, 'wiringChain', stateName(active.snapshot));
      closing = [...closing, withSnapshot(active, next)];
      active = undefined;
    }
    if (wiring && event.type === 'MANIFEST_STORED' && active) {
      // Rows the server stored belong to the wake doing work: the only one that commits.
      const next = this.transition('wiringChain', active.snapshot, event);
      if (!next) return this.fail(state, event, 'wiringChain', stateName(active.snapshot));
      active = withSnapshot(active, next);
    }
    if (wiring && event.type === 'CLAIM_LOST') {
      // Said by the wake that lost its claim, while it is still followed, or later (a refusal after the wake ended): only
      // a wake still followed takes it, as a fact for its later steps.
      const slot = active?.wakeId === event.wakeId && active.process === event.process ? active : closing.find((candidate) => candidate.wakeId === event.wakeId && candidate.process === event.process);
      const next = slot ? this.transition('wiringChain', slot.snapshot, event) : undefined;
      if (slot && next) {
        if (slot === active) active = withSnapshot(slot, next);
        else closing = closing.map((candidate) => (candidate === slot ? withSnapshot(slot, next) : candidate));
      }
    }
    if (wiring && FOLLOWED_EVENTS.wiringChain.has(event.type) && event.type !== 'LEASE_RELEASED' && event.type !== 'CLAIM_LOST' && 'process' in event) {
      // An event that names no wake is the running handler's wake's when it can take it (the handle is wired inside
      // observe), else the wake doing work's, else a lingering wake's, one whose lost lease it has not noticed yet.
      const handlerWake = (entity.context as DigestEntityContext).handler?.wakeId;
      const handlerSlot = 'wakeId' in event || handlerWake === undefined ? undefined : active?.wakeId === handlerWake ? active : closing.find((candidate) => candidate.wakeId === handlerWake && candidate.leaseEnded === true);
      let slot = 'wakeId' in event ? (closing.find((candidate) => candidate.wakeId === event.wakeId) ?? (active?.wakeId === event.wakeId ? active : undefined)) : (handlerSlot ?? active);
      let next = slot && slot.process === event.process ? this.transition('wiringChain', slot.snapshot, event) : undefined;
      if (!next && !('wakeId' in event)) {
        for (const candidate of [...(active ? [active] : []), ...closing]) {
          if (candidate === slot || (candidate !== active && candidate.leaseEnded !== true) || candidate.process !== event.process) continue;
          next = this.transition('wiringChain', candidate.snapshot, event);
          if (next) {
            slot = candidate;
            break;
          }
        }
      }
      if (!slot || slot.process !== event.process) return this.fail(state, event, 'wiringChain', active ? `wake ${active.wakeId} in ${active.process}` : 'no wake');
      if (!next) return this.fail(state, event, 'wiringChain', stateName(slot.snapshot));
      const done = next.status === 'done';
      if (slot === active) active = done ? undefined : withSnapshot(slot, next);
      else closing = done ? closing.filter((candidate) => candidate !== slot) : closing.map((candidate) => (candidate === slot ? withSnapshot(slot, next) : candidate));
    }
    if (event.type === 'PROCESS_EXIT') {
      if (active?.process === event.process) active = undefined;
      closing = closing.filter((slot) => slot.process !== event.process);
    }
    if (FOLLOWED_EVENTS.digestEntity.has(event.type)) {
      const next = this.transition('digestEntity', entity, event);
      if (!next) return this.fail(state, event, 'digestEntity', stateName(entity));
      entity = next;
    }
    return { state: { runners, wakeStream, entity, lifecycles, manifest, active, closing }, entered: this.entered };
  }

  /**
   * The failure of `machine` in `machineState` to take `event` in `state`. A method, not a closure made per step: the
   * step is the hot path of conformance. Model checking refuses most of what it tries: the description of every
   * machine's state is built only when read.
   */
  private fail(state: ComposedState, event: ModelEvent, machine: MachineName, machineState: string): StepResult {
    return {
      failure: {
        machine,
        machineState,
        event,
        get modelState() {
          return describeComposed(state);
        },
      },
    };
  }

  /** The runtime's `offset` switch, if it has one: the servers' view of a runner judges its start by it. */
  private offsetSwitch(): OffsetMode | undefined {
    return this.switches['offset'] === undefined ? undefined : this.config.offset;
  }

  private serverRunnerInput(): unknown {
    return { offsetMode: this.offsetSwitch() };
  }

  private wakeStreamInput(): unknown {
    return { offsetMode: this.offsetSwitch(), resumeSource: resumeSourceOf(this.switches) };
  }

  private entityInput(): unknown {
    // One occurrence is all `models check` traverses, where the two catch-up modes check the same one.
    const catchUp: CatchUpMode = this.switches['catch-up'] === 'every-due' ? 'every-due' : 'newest';
    return { idempotency: this.config.idempotency, catchUp, serverMayFail: faultsMayFailRequests(this.faults) };
  }

  /** Whether the runtime abandons a wake whose claim it lost: a renewal refused (`lease-renewal`), a deadline (`lease-fence`). */
  private leaseMayBeLost(): boolean {
    return this.switches['lease-renewal'] === 'renew' || this.switches['lease-fence'] === 'deadline';
  }

  private wiringInput(restored: boolean): unknown {
    return { wiring: this.config.wiring, restored, serverMayFail: faultsMayFailRequests(this.faults), leaseMayBeLost: this.leaseMayBeLost(), leaseFence: this.switches['lease-fence'] === 'deadline', handlerSignal: this.switches['handler-signal'] === 'lease' };
  }

  /** The machine's initial snapshot, computed in its scope so that an observer sees the initial transitions too. */
  private initialSnapshot(machine: MachineName, input: unknown): AnyMachineSnapshot {
    const logic = this.machines[machine] as unknown as { getInitialSnapshot(scope: unknown, input: unknown): AnyMachineSnapshot };
    const memo = this.memoised ? memoOf(logic) : undefined;
    const inputKey = memo ? canonicalText(input) : '';
    let result = memo?.knownInitial(inputKey);
    if (!result) {
      recordingMicrosteps = [];
      const computed: MemoisedStep = { next: logic.getInitialSnapshot(this.scopes[machine], input), microsteps: recordingMicrosteps };
      recordingMicrosteps = [];
      result = memo ? memo.storeInitial(inputKey, computed) : computed;
    }
    this.replay(machine, result.microsteps);
    return result.next!;
  }

  /** The machine's next snapshot, or undefined when it cannot take the event in its current state. */
  private transition(machine: MachineName, snapshot: AnyMachineSnapshot, event: ModelEvent): AnyMachineSnapshot | undefined {
    const logic = this.machines[machine] as unknown as { transition(snapshot: unknown, event: unknown, scope: unknown): AnyMachineSnapshot };
    const memo = this.memoised ? memoOf(logic) : undefined;
    const eventKey = memo ? this.eventText(event) : '';
    let result = memo?.knownStep(snapshot, eventKey);
    if (!result) {
      recordingMicrosteps = [];
      const next = snapshot.can(event) ? logic.transition(snapshot, event, this.scopes[machine]) : undefined;
      const computed: MemoisedStep = { next, microsteps: recordingMicrosteps };
      recordingMicrosteps = [];
      result = memo ? memo.storeStep(snapshot, eventKey, computed) : computed;
    }
    this.replay(machine, result.microsteps);
    return result.next;
  }

  /** Tells the observer the microsteps of a machine step, in order, and notes the violation states they entered. */
  private replay(machine: MachineName, microsteps: readonly RecordedMicrostep[]): void {
    for (const microstep of microsteps) {
      for (const definition of microstep.transitions) {
        this.observer?.transitionTaken(machine, definition);
        for (const target of (definition.target ?? []) as AnyStateNode[]) {
          const property = violationOf(target);
          if (property) this.entered.push(property);
        }
      }
      this.observer?.stateEntered(machine, microstep.snapshot);
    }
  }

  private eventText(event: ModelEvent): string {
    if (event !== this.keyedEvent) {
      this.keyedEvent = event;
      // Plain JSON: translated events set every field they have (null, never undefined), so no two differ only by one.
      this.keyedText = JSON.stringify(event);
    }
    return this.keyedText;
  }
}
