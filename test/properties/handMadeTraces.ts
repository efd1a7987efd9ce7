import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { getProperty, type RunHistory, type Violation } from '../../properties/index.ts';

/**
 * Builders of hand-made traces for property tests: observations and probes at chosen virtual times, in the shapes the
 * simulated services and the scenario's probes record them.
 */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];

  /** Records an observation or probe at `atMs`; steps count up. */
  at(atMs: number, actor: string, kind: string, detail: TraceEvent['detail'] = {}): this {
    this.events.push({ step: this.events.length + 1, atMs, actor, kind, detail });
    return this;
  }

  /** Records an annotation: what a runtime says of itself, which no property may read. */
  note(atMs: number, actor: string, kind: string, detail: TraceEvent['detail'] = {}): this {
    this.events.push({ step: this.events.length + 1, atMs, actor, kind, detail, annotation: true });
    return this;
  }

  /** Index of the last event recorded (where a violation is expected to point). */
  get last(): number {
    return this.events.length - 1;
  }
}

/** A run history around `events`, ending at `endMs`, with `extra` overriding any field. */
export function historyOf(events: readonly TraceEvent[], extra: Partial<RunHistory> = {}): RunHistory {
  return {
    config: {},
    faults: [],
    events,
    endedBy: 'horizon',
    endMs: 600_000,
    steps: events.length,
    expectedActions: [],
    endState: { liveHosts: [], activeClaims: [] },
    pendingTasks: [],
    hangAfterMs: 90_000,
    quietFromMs: 400_000,
    ...extra,
  };
}

/** The violations of one registered property in `history`. */
export function judgeBy(name: string, history: RunHistory): Violation[] {
  return getProperty(name).judge(history, new Set());
}
