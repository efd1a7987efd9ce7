import { drainMicrotasks } from '../scheduler/drainMicrotasks.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { Task } from '../scheduler/Task.ts';

/** Limits of one run; every run stops at the first limit it reaches. */
export interface RunBudget {
  /** Virtual time at which the run ends, in milliseconds since its start. */
  readonly horizonMs: number;
  /** Scheduler steps after which the run is cut off (and reported as a hang by the oracles). */
  readonly maxSteps: number;
  /**
   * Trace events (annotations not counted) after which the run is cut off (and reported as a hang by the oracles): a
   * bound on what a run keeps, which its steps alone do not bound (a step may record several events, and what follows
   * the trace may keep more per event the longer the run spins). Checked between steps, so a run ends holding at most
   * one step's events more. Absent: no limit here (`runScenario` fills in `DEFAULT_MAX_TRACE_EVENTS` for a scenario
   * that names none).
   */
  readonly maxTraceEvents?: number;
}

/** Why a run loop ended. */
export type LoopEnd = 'horizon' | 'idle' | 'step-budget' | 'trace-budget';

/**
 * Runs scheduler steps until the horizon, an empty queue, the step budget, or the trace budget (`observationCount`
 * counts the events the run has recorded, annotations not counted; it is required when the budget has
 * `maxTraceEvents`). Between steps it drains the microtask queue, so that all promise continuations a step unblocked
 * have run before the next choice is made: native promise ordering becomes a function of the choices alone. `beforeStep`, when given, is awaited before each step: a
 * harness that decides the next task asynchronously (the fast-check scheduler baseline) does it there.
 */
export async function runLoop(
  scheduler: Scheduler,
  budget: RunBudget,
  onStep?: (task: Task) => void,
  beforeStep?: (scheduler: Scheduler) => Promise<void>,
  observationCount?: () => number,
): Promise<LoopEnd> {
  // A limit nothing counts against would let the run grow unbounded while its budget says otherwise.
  if (budget.maxTraceEvents !== undefined && !observationCount) throw new TypeError('a budget with maxTraceEvents needs the count of recorded events');
  await drainMicrotasks();
  for (;;) {
    const nextDueAtMs = scheduler.nextDueAtMs();
    if (nextDueAtMs === undefined) return 'idle';
    if (nextDueAtMs > budget.horizonMs) return 'horizon';
    if (scheduler.steps >= budget.maxSteps) return 'step-budget';
    if (budget.maxTraceEvents !== undefined && observationCount!() >= budget.maxTraceEvents) return 'trace-budget';
    if (beforeStep) await beforeStep(scheduler);
    scheduler.step(onStep);
    await drainMicrotasks();
  }
}
