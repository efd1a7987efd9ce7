import { createHash, type Hash } from 'node:crypto';
import { MAX_EVENTS_PER_STEP, MicrotaskSpinError, type StepSpin } from './stepSpin.ts';

/** A JSON value as it may appear in trace details: plain data only, so a trace serialises the same everywhere. */
export type TraceValue = string | number | boolean | null | readonly TraceValue[] | { readonly [key: string]: TraceValue };

/** One thing that happened in a simulated run. */
export interface TraceEvent {
  /** Scheduler steps taken when the event was recorded (0 before the first step). */
  readonly step: number;
  readonly atMs: number;
  readonly actor: string;
  readonly kind: string;
  readonly detail: { readonly [key: string]: TraceValue };
  /**
   * True for an annotation: what the code under test said about itself, as opposed to what the simulated world
   * observed. Absent on every other event.
   */
  readonly annotation?: true;
}

/** Options of a {@link Trace}. */
export interface TraceOptions {
  /**
   * Drop every annotation instead of recording it: checks that judge a system from the outside must reach the same
   * verdicts without them.
   */
  readonly dropAnnotations?: boolean;
  /** Events (annotations included, kept or dropped) one step may record before it counts as a spin; default {@link MAX_EVENTS_PER_STEP}. */
  readonly maxEventsPerStep?: number;
}

/** Where the trace reads the current step and virtual time from (the scheduler). */
export interface TraceClock {
  readonly steps: number;
  readonly nowMs: number;
}

/**
 * Characters of serialised events collected before they are fed to the hash: one `update` per batch instead of one
 * per event (the call into the hash costs more than hashing a short line). SHA-256 of the concatenation does not
 * depend on how it is cut, so the batch size never changes a hash.
 */
const HASH_BATCH_CHARS = 32_768;

/**
 * The ordered record of a run, with a SHA-256 hash folded in as events arrive. Two runs are the same run when their
 * hashes are equal; the hash covers every field of every event in order.
 */
export class Trace {
  private readonly entries: TraceEvent[] = [];
  private readonly hasher: Hash = createHash('sha256');
  /** Serialised events not yet fed to the hasher. Serialised at once: a detail object changed later cannot change the hash. */
  private unhashed = '';
  private digest: string | undefined;
  private readonly watchers: Array<(event: TraceEvent) => void> = [];
  private observations = 0;
  /** The step the per-step tally counts, and what it counted so far. */
  private tallyStep = -1;
  private eventsThisStep = 0;
  private spun: StepSpin | undefined;
  private halted = false;

  constructor(
    private readonly clock: TraceClock,
    private readonly options: TraceOptions = {},
  ) {}

  get events(): readonly TraceEvent[] {
    return this.entries;
  }

  /**
   * Events {@link record}ed so far, annotations not counted: what a run's trace budget counts, so that a run ends at
   * the same step whether or not its annotations are kept.
   */
  get observationCount(): number {
    return this.observations;
  }

  /**
   * The step that recorded more than its limit of events, if one did (see {@link MicrotaskSpinError}). From then on
   * every {@link record} and {@link annotate} throws, until the harness {@link endHalt}s the trace after the loop.
   */
  get spin(): StepSpin | undefined {
    return this.spun;
  }

  /** Lets the harness record again once the run loop has ended after a spin (its `run-end`, say). */
  endHalt(): void {
    this.halted = false;
  }

  record(actor: string, kind: string, detail: TraceEvent['detail'] = {}): TraceEvent {
    if (this.digest !== undefined) throw new Error(`trace is sealed; cannot record ${kind}`);
    this.countInStep(actor, kind);
    const event: TraceEvent = { step: this.clock.steps, atMs: this.clock.nowMs, actor, kind, detail };
    this.entries.push(event);
    this.observations += 1;
    this.fold(event);
    for (const watcher of this.watchers) watcher(event);
    return event;
  }

  /**
   * Calls `watcher` with every event {@link record}ed from now on (annotations excluded), right after it is recorded:
   * for parts of a simulated world that react to what another part observed (a fault at a moment a service saw).
   */
  onRecord(watcher: (event: TraceEvent) => void): void {
    this.watchers.push(watcher);
  }

  /**
   * Records an annotation (see {@link TraceEvent.annotation}); returns undefined when annotations are dropped.
   */
  annotate(actor: string, kind: string, detail: TraceEvent['detail'] = {}): TraceEvent | undefined {
    // Counted even when dropped: a loop that only annotates spins as well with annotations stripped.
    this.countInStep(actor, kind);
    if (this.options.dropAnnotations) return undefined;
    if (this.digest !== undefined) throw new Error(`trace is sealed; cannot record ${kind}`);
    const event: TraceEvent = { step: this.clock.steps, atMs: this.clock.nowMs, actor, kind, detail, annotation: true };
    this.entries.push(event);
    this.fold(event);
    return event;
  }

  /** Seals the trace and returns its hash (hex, 64 characters). Later calls return the same hash. */
  hash(): string {
    if (this.digest === undefined) {
      this.hasher.update(this.unhashed);
      this.unhashed = '';
      this.digest = this.hasher.digest('hex');
    }
    return this.digest;
  }

  /**
   * Counts one recording against its step's limit. Past it the step has spun: the trace keeps a `step-spin` event
   * (the one recording it still takes) and halts, throwing at this call and every later one.
   */
  private countInStep(actor: string, kind: string): void {
    if (this.spun) {
      if (this.halted) throw new MicrotaskSpinError(this.spun, this.maxEventsPerStep);
      return; // the harness's own records after the loop: the spin is reported once
    }
    const step = this.clock.steps;
    if (step !== this.tallyStep) {
      this.tallyStep = step;
      this.eventsThisStep = 0;
    }
    this.eventsThisStep += 1;
    if (this.eventsThisStep <= this.maxEventsPerStep) return;
    this.spun = { step, atMs: this.clock.nowMs, actor, kind };
    // Recorded as any event: with the spin set and the trace not yet halted, this recording is not counted.
    this.record('sim', 'step-spin', { events: this.eventsThisStep - 1, actor, kind });
    this.halted = true;
    throw new MicrotaskSpinError(this.spun, this.maxEventsPerStep);
  }

  private get maxEventsPerStep(): number {
    return this.options.maxEventsPerStep ?? MAX_EVENTS_PER_STEP;
  }

  /** Adds an event's line to the hash input, feeding the hasher a batch at a time. */
  private fold(event: TraceEvent): void {
    this.unhashed += serializeEvent(event);
    if (this.unhashed.length < HASH_BATCH_CHARS) return;
    this.hasher.update(this.unhashed);
    this.unhashed = '';
  }
}

/** The canonical line an event contributes to the hash. Detail objects are built by code, so key order is stable. */
export function serializeEvent(event: TraceEvent): string {
  const marker = event.annotation ? '~' : '';
  return `${event.step}|${event.atMs}|${event.actor}|${marker}${event.kind}|${JSON.stringify(event.detail)}\n`;
}

/** The hash a {@link Trace} of exactly these events gives: to check that a stored list of events is still the run's. */
export function hashOfEvents(events: readonly TraceEvent[]): string {
  const hasher = createHash('sha256');
  for (const event of events) hasher.update(serializeEvent(event));
  return hasher.digest('hex');
}
