import type { Leak, LeakKind } from './LeakReport.ts';
import type { VirtualRandom } from './VirtualRandom.ts';
import type { VirtualTimers } from './VirtualTimers.ts';

/** What the replaced globals (globalPatches.ts) ask of the run they serve. */
export interface HermeticRun {
  /** Virtual time of the run, in milliseconds since its start. */
  readonly nowMs: number;
  /** Virtual wall-clock time: `VIRTUAL_EPOCH_MS` plus {@link nowMs}. */
  readonly epochNowMs: number;
  readonly timers: VirtualTimers;
  readonly random: VirtualRandom;
  /** A call to a virtualised API: a leak under mode `forbid`, nothing under `virtualise`. */
  touch(kind: Exclude<LeakKind, 'network'>, api: string): void;
  /** The simulated `fetch` of the actor running now, if one was bound (a simulated process's network). */
  fetchOfCurrentActor(): typeof fetch | undefined;
  /** A call that is a leak in every mode; returns the leak (the first one of its kind from that place). */
  leak(kind: LeakKind, api: string, target?: string): Leak;
}

let active: HermeticRun | undefined;

/**
 * The run whose globals are installed in this process (or worker thread), if any. One at a time: simulated runs are
 * awaited one after the other, and a second installation while one is active is refused.
 */
export function activeRun(): HermeticRun | undefined {
  return active;
}

/** Makes `run` the active one (or none); the caller checks for overlap. */
export function setActiveRun(run: HermeticRun | undefined): void {
  active = run;
}
