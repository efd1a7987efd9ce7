import { drainMicrotasks } from '../scheduler/drainMicrotasks.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { Task } from '../scheduler/Task.ts';

/** Limits of one run; every run stops at the first limit it reaches. */
export interface RunBudget {
  /** Virtual time at which the run ends, in milliseconds since its start. */
  readonly horizonMs: number;
  /** Scheduler steps after which the run is cut off (and reported as a hang by the oracles). */
  readonly maxSteps: number;
}

/** Why a run loop ended. */
export type LoopEnd = 'horizon' | 'idle' | 'step-budget';

/**
 * Runs scheduler steps until the horizon, an empty queue, or the step budget. Between steps it drains the microtask
 * queue, so that all promise continuations a step unblocked have run before the next choice is made: native promise
 * ordering becomes a function of the choices alone. `beforeStep`, when given, is awaited before each step: a harness
 * that decides the next task asynchronously (the fast-check scheduler baseline) does it there.
 */
export async function runLoop(
  scheduler: Scheduler,
  budget: RunBudget,
  onStep?: (task: Task) => void,
  beforeStep?: (scheduler: Scheduler) => Promise<void>,
): Promise<LoopEnd> {
  await drainMicrotasks();
  for (;;) {
    const nextDueAtMs = scheduler.nextDueAtMs();
    if (nextDueAtMs === undefined) return 'idle';
    if (nextDueAtMs > budget.horizonMs) return 'horizon';
    if (scheduler.steps >= budget.maxSteps) return 'step-budget';
    if (beforeStep) await beforeStep(scheduler);
    scheduler.step(onStep);
    await drainMicrotasks();
  }
}
