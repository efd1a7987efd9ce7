import type { FinishedRun, RunPlan } from './PlannedChoiceSource.ts';
import type { RunFeedback } from './RunFeedback.ts';

/**
 * The side of a strategy that plans runs in generations, for searches spread over threads or jobs. Every run of a
 * generation is planned from what the strategy learnt up to the end of the previous generation, never from a run of
 * its own generation, so the runs of a generation are independent of each other: any thread may run any of them, in
 * any order. Learning is merged in run-index order when the generation ends, so the next generation's plans are the
 * same whatever order the runs finished in, and the search is the same for any number of threads.
 *
 * The protocol, for each generation: {@link plan} every run of it (plans are plain data, sent to whichever thread
 * runs them through a `PlannedChoiceSource`), {@link learn} every run of it once run, then {@link endGeneration}.
 */
export interface Generations {
  /** Runs per generation. */
  readonly size: number;
  /** The plan of run `runIndex` of the current generation: a function of the seed, the index and earlier generations. */
  plan(runIndex: number): RunPlan;
  /** Notes how run `runIndex` of the current generation went; runs may be learnt in any order. */
  learn(runIndex: number, run: FinishedRun, feedback: RunFeedback): void;
  /** Ends the current generation: merges what was learnt, in run-index order. */
  endGeneration(): void;
}
