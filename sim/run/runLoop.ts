import { drainMicrotasks } from '../scheduler/drainMicrotasks.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { Task } from '../scheduler/Task.ts';
import type { StepSpin } from '../trace/stepSpin.ts';

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

/**
 * Why a run loop ended. `spin`: a step recorded more events than a step may (sim/trace/stepSpin.ts), so it was
 * stopped where it called into the simulation.
 */
export type LoopEnd = 'horizon' | 'idle' | 'step-budget' | 'trace-budget' | 'spin';

/** What the loop reads of the run's trace between steps (a {@link Trace} is one). */
export interface TraceWatch {
  /** Events recorded so far, annotations not counted: what `maxTraceEvents` counts. */
  readonly observationCount: number;
  /** Set once a step spun. */
  readonly spin?: StepSpin | undefined;
}

/**
 * Runs scheduler steps until the horizon, an empty queue, the step budget, the trace budget, or a step that spun
 * (`trace`, the run's trace, is what the last two are read from; it is required when the budget has
 * `maxTraceEvents`). Between steps it drains the microtask queue, so that all promise continuations a step unblocked
 * have run before the next choice is made: native promise ordering becomes a function of the choices alone.
 * `beforeStep`, when given, is awaited before each step: a harness that decides the next task asynchronously (the
 * fast-check scheduler baseline) does it there.
 */
export async function runLoop(
  scheduler: Scheduler,
  budget: RunBudget,
  onStep?: (task: Task) => void,
  beforeStep?: (scheduler: Scheduler) => Promise<void>,
  trace?: TraceWatch,
): Promise<LoopEnd> {
  // A limit nothing counts against would let the run grow unbounded while its budget says otherwise.
  if (budget.maxTraceEvents !== undefined && !trace) throw new TypeError('a budget with maxTraceEvents needs the trace that counts recorded events');
  await drainMicrotasks();
  for (;;) {
    if (trace?.spin) return 'spin';
    const nextDueAtMs = scheduler.nextDueAtMs();
    if (nextDueAtMs === undefined) return 'idle';
    if (nextDueAtMs > budget.horizonMs) return 'horizon';
    if (scheduler.steps >= budget.maxSteps) return 'step-budget';
    if (budget.maxTraceEvents !== undefined && trace!.observationCount >= budget.maxTraceEvents) return 'trace-budget';
    if (beforeStep) await beforeStep(scheduler);
    scheduler.step(onStep);
    await drainMicrotasks();
  }
}
