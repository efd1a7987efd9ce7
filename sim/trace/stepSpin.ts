/**
 * Trace events, annotations included (kept or dropped), one scheduler step may record before the kernel calls the step
 * a spin. A step is one task and the microtasks it unblocks; code that loops in microtasks (an `await` on something
 * already settled, again and again) never lets the step end, so neither the step budget nor the trace budget, both
 * checked between steps, can stop it: the process runs out of heap instead of reporting a hang. Code that records
 * while it loops (an annotation per attempt, a request the world records) is stopped here.
 *
 * Why 10,000: ordinary steps record a handful. In 3,000 random runs of seed 1 of the hardened v0.4 runtime under
 * `--faults all` the most one step recorded was 8; in 1,000 runs of the v0.4 preset under every fault, 17. The mutant
 * `v04-wiring-retry-ignores-stop` under the hardened preset (a wiring retry whose backoff ends at once on a lost
 * claim, and that never checks for it) is stopped at its 10,001st recording in a step, where it ran out of heap before.
 */
export const MAX_EVENTS_PER_STEP = 10_000;

/** The step that spun, as {@link MicrotaskSpinError} and the trace's `step-spin` event report it. */
export interface StepSpin {
  readonly step: number;
  readonly atMs: number;
  /** The actor and kind of the event that went past the limit: what the loop was doing. */
  readonly actor: string;
  readonly kind: string;
}

/**
 * Thrown into the code under test by every call that records, once a step recorded more than its limit: the loop that
 * spun gets an error where it called into the simulation, so it ends (unless it catches the error and goes on looping
 * without calling in again, which no in-thread guard can stop), the step drains, and the run loop ends the run.
 */
export class MicrotaskSpinError extends Error {
  constructor(spin: StepSpin, limit: number) {
    super(`step ${spin.step} recorded more than ${limit} events without yielding to the scheduler (a loop in microtasks, last recording ${spin.actor} ${spin.kind})`);
    this.name = 'MicrotaskSpinError';
  }
}
