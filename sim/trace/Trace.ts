import { createHash, type Hash } from 'node:crypto';

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
}

/** Where the trace reads the current step and virtual time from (the scheduler). */
export interface TraceClock {
  readonly steps: number;
  readonly nowMs: number;
}

/**
 * The ordered record of a run, with a SHA-256 hash folded in as events arrive. Two runs are the same run when their
 * hashes are equal; the hash covers every field of every event in order.
 */
export class Trace {
  private readonly entries: TraceEvent[] = [];
  private readonly hasher: Hash = createHash('sha256');
  private digest: string | undefined;

  constructor(private readonly clock: TraceClock) {}

  get events(): readonly TraceEvent[] {
    return this.entries;
  }

  record(actor: string, kind: string, detail: TraceEvent['detail'] = {}): TraceEvent {
    if (this.digest !== undefined) throw new Error(`trace is sealed; cannot record ${kind}`);
    const event: TraceEvent = { step: this.clock.steps, atMs: this.clock.nowMs, actor, kind, detail };
    this.entries.push(event);
    this.hasher.update(serializeEvent(event));
    return event;
  }

  /** Seals the trace and returns its hash (hex, 64 characters). Later calls return the same hash. */
  hash(): string {
    this.digest ??= this.hasher.digest('hex');
    return this.digest;
  }
}

/** The canonical line an event contributes to the hash. Detail objects are built by code, so key order is stable. */
export function serializeEvent(event: TraceEvent): string {
  return `${event.step}|${event.atMs}|${event.actor}|${event.kind}|${JSON.stringify(event.detail)}\n`;
}
