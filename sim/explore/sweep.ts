import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import type { RunFeedback } from '../strategies/RunFeedback.ts';
import type { SearchStrategy } from '../strategies/SearchStrategy.ts';

/** Options of {@link sweep}. */
export interface SweepOptions<R> {
  /** Runs to execute at most. */
  readonly maxRuns: number;
  /** Where each run's answers come from. */
  readonly strategy: SearchStrategy;
  /** One simulated run under the given choices. */
  readonly run: (choices: ChoiceSource) => Promise<R>;
  /** What a run reached, handed to the strategy (strategies guided by coverage need it). */
  readonly feedbackOf?: (result: R) => RunFeedback;
  /** True when a run's result is a finding; the sweep stops at the first one. */
  readonly isFinding: (result: R, runIndex: number) => boolean;
  /** Called after each run, e.g. for progress. */
  readonly onRun?: (runIndex: number, result: R) => void;
}

/** What a sweep saw: how many runs it took, whether the strategy ran out of runs, and the first finding. */
export interface SweepOutcome<R> {
  readonly runsExecuted: number;
  /** True when the strategy had nothing left to try before the run budget was spent (an exhausted search). */
  readonly strategyExhausted: boolean;
  readonly finding?: { readonly runIndex: number; readonly result: R };
}

/** Runs the strategy's runs in index order until the first finding, the run budget, or the strategy's end. */
export async function sweep<R>(options: SweepOptions<R>): Promise<SweepOutcome<R>> {
  const { strategy } = options;
  for (let runIndex = 0; runIndex < options.maxRuns; runIndex += 1) {
    const source = strategy.sourceForRun(runIndex);
    if (source === undefined) return { runsExecuted: runIndex, strategyExhausted: true };
    const result = await options.run(source);
    strategy.runFinished?.(runIndex, source, options.feedbackOf?.(result));
    options.onRun?.(runIndex, result);
    if (options.isFinding(result, runIndex)) return { runsExecuted: runIndex + 1, strategyExhausted: false, finding: { runIndex, result } };
  }
  return { runsExecuted: options.maxRuns, strategyExhausted: strategy.exhausted ?? false };
}
