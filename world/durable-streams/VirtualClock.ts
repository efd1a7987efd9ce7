import { VIRTUAL_EPOCH_MS } from '../../sim/hermetic/HermeticOptions.ts';
import type { Scheduler } from '../../sim/scheduler/Scheduler.ts';

/**
 * Time as the simulated service sees it: a reading and cancellable timers, both in virtual milliseconds. The service
 * never reads the machine's clock or arms a real timer, so a held long-poll or a lease ends when the simulation says,
 * and two runs with the same choices end them at the same step.
 */
export interface VirtualClock {
  /** Virtual milliseconds since the start of the run. */
  nowMs(): number;
  /** Calls `fire` once `delayMs` of virtual time has passed, unless the returned function cancels it first. */
  startTimer(delayMs: number, label: string, fire: () => void): () => void;
}

/**
 * Where virtual time sits on the wall clock, for the values the reference server takes from the wall clock (wake
 * event `ts`, `created_at`, token expiry, long-poll cursors): 2026-01-01T00:00:00Z, fixed, so that they are the same
 * in every run. A real-looking origin matters beyond looks: a wake event's `ts` is stored in the wake stream, and
 * with 13 digits, like the reference's, the event has the same length, so the wake stream's offsets agree too.
 */
export const VIRTUAL_WALL_CLOCK_ORIGIN_MS = VIRTUAL_EPOCH_MS;

/** The virtual wall-clock time: {@link VIRTUAL_WALL_CLOCK_ORIGIN_MS} plus the virtual time elapsed. */
export function wallClockMs(clock: VirtualClock): number {
  return VIRTUAL_WALL_CLOCK_ORIGIN_MS + clock.nowMs();
}

/** A {@link VirtualClock} on the simulation's scheduler: timers are scheduler tasks of `actor`. */
export function schedulerClock(scheduler: Scheduler, actor = 'durable-streams'): VirtualClock {
  return {
    nowMs: () => scheduler.nowMs,
    startTimer: (delayMs, label, fire) => {
      const handle = scheduler.schedule(delayMs, actor, label, fire);
      return () => scheduler.cancel(handle);
    },
  };
}
