import type { Trace, TraceEvent } from '../trace/Trace.ts';

/** What kind of outside world a leak reached. */
export type LeakKind = 'timer' | 'clock' | 'random' | 'network';

/**
 * One escape from the simulation: code running inside a simulated run called a process-wide API it must not use
 * there. Distinct leaks differ in `api` or `caller`; repeats of the same one are reported once.
 */
export interface Leak {
  readonly kind: LeakKind;
  /** The call as written: `setTimeout`, `Date.now`, `new Date()`, `Math.random`, `fetch`, `net.Socket.connect`. */
  readonly api: string;
  /**
   * The first stack frame outside sim/hermetic, as `path:line` relative to the project root (`runtime/x.ts:12`),
   * or `unknown caller` when the stack has no file frame (a callback of a native API).
   */
  readonly caller: string;
  /** For network access: the URL, or `host:port` / socket path, it tried to reach. */
  readonly target?: string;
}

/** Trace event kind of a leak (actor {@link LEAK_ACTOR}): replays show the leak where it happened. */
export const LEAK_EVENT_KIND = 'hermetic-leak';
/** Trace actor of leak events. */
export const LEAK_ACTOR = 'hermetic';

const ADVICE: Readonly<Record<LeakKind, string>> = {
  timer: 'a real timer; simulated code waits through its sleep port',
  clock: 'real time; simulated code reads the virtual clock through its ports',
  random: 'real randomness; simulated code draws from the choice source',
  network: 'real network access; simulated code talks to the simulated world',
};

/** One line for people: `hermetic run: setTimeout called from runtime/x.ts:12 during a simulated run (a real timer; ...)`. */
export function leakMessage(leak: Leak): string {
  const target = leak.target === undefined ? '' : ` (${leak.target})`;
  return `hermetic run: ${leak.api}${target} called from ${leak.caller} during a simulated run (${ADVICE[leak.kind]})`;
}

/** Records a leak into a run's trace, at the step and virtual time it happened. */
export function recordLeak(trace: Trace, leak: Leak): TraceEvent {
  const detail: Record<string, string> = { api: leak.api, caller: leak.caller, kind: leak.kind };
  if (leak.target !== undefined) detail['target'] = leak.target;
  return trace.record(LEAK_ACTOR, LEAK_EVENT_KIND, detail);
}

/** The leak a trace event records, or undefined for any other event. */
export function leakOfEvent(event: TraceEvent): Leak | undefined {
  if (event.kind !== LEAK_EVENT_KIND) return undefined;
  const { kind, api, caller, target } = event.detail;
  return {
    kind: kind as LeakKind,
    api: String(api),
    caller: String(caller),
    ...(typeof target === 'string' ? { target } : {}),
  };
}

/** Thrown where a leak cannot become a violation (a session driven command by command): names every leak. */
export class HermeticLeakError extends Error {
  constructor(readonly leaks: readonly Leak[]) {
    super(leaks.map(leakMessage).join('\n'));
    this.name = 'HermeticLeakError';
  }
}
