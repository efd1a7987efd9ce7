import { RecordedChoiceSource } from '../../../sim/choice/RecordedChoiceSource.ts';
import { HermeticGlobals } from '../../../sim/hermetic/VirtualGlobals.ts';
import { runLoop, type LoopEnd } from '../../../sim/run/runLoop.ts';
import { Scheduler } from '../../../sim/scheduler/Scheduler.ts';
import { track } from '../../world/simHelpers.ts';

/** The label a virtual `setTimeout` task carries (sim/hermetic/VirtualTimers.ts). */
const TIMEOUT_TASK = /^setTimeout (\d+) ms$/;

/** Far beyond every backoff of the runtime: what is not settled by then never settles. */
const ONE_HOUR_MS = 3_600_000;

/** Steps one {@link VirtualTime.advanceTo} may take: far above any test here, low enough to end a livelock fast. */
const MAX_STEPS_PER_ADVANCE = 10_000;

/** How a body run in virtual time ended, and the time it ran in. */
export interface Settlement<T> {
  readonly time: VirtualTime;
  readonly settled: boolean;
  readonly value?: T;
  readonly error?: unknown;
}

/**
 * Virtual time for runtime code that sleeps with the global timers (`runtimes/v04/time.ts`). Inside {@link run} the
 * process's timers and clocks are the scheduler's (hermetic mode `virtualise`), and {@link advanceTo} runs the work due
 * up to a virtual instant: backoffs and heartbeats take no real time and fire in an order fixed by the code alone.
 * Give it the scheduler of a simulated service (`simulatedStreamsService`, a `World`) so one loop drives both.
 */
export class VirtualTime {
  /** The delays of the `setTimeout` timers that fired, in firing order: the sleeps the code under test slept. */
  readonly firedTimeoutsMs: number[] = [];
  private readonly hermetic: HermeticGlobals;

  constructor(readonly scheduler: Scheduler = new Scheduler(new RecordedChoiceSource([]))) {
    this.hermetic = new HermeticGlobals(scheduler, { mode: 'virtualise' });
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  /** Runs `body` with the virtual globals installed; everything it starts must be driven by {@link advanceTo} inside. */
  run<T>(body: () => Promise<T>): Promise<T> {
    return this.hermetic.run(body);
  }

  /**
   * Runs `body` with the virtual globals installed, and the scheduled work until nothing is left or nothing is due
   * within `withinMs` from now: its outcome then, settled or not (a test of a hang asserts `settled: false`).
   */
  settle<T>(body: () => Promise<T>, withinMs = ONE_HOUR_MS): Promise<Settlement<T>> {
    return this.run(async () => {
      const outcome = track(body());
      await this.advanceTo(this.nowMs + withinMs);
      return { time: this, ...outcome };
    });
  }

  /** Runs scheduled work until nothing is due at or before `untilMs` (virtual ms since the start). Call inside {@link run}. */
  advanceTo(untilMs: number): Promise<LoopEnd> {
    return runLoop(this.scheduler, { horizonMs: untilMs, maxSteps: this.scheduler.steps + MAX_STEPS_PER_ADVANCE }, (task) => {
      const timeout = TIMEOUT_TASK.exec(task.label);
      if (timeout) this.firedTimeoutsMs.push(Number(timeout[1]));
    });
  }
}

/** Runs `body` in fresh virtual time until it settles or nothing is left to run (see {@link VirtualTime.settle}). */
export function settleInVirtualTime<T>(body: () => Promise<T>, withinMs?: number): Promise<Settlement<T>> {
  return new VirtualTime().settle(body, withinMs);
}
