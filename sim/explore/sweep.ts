import { RandomChoiceSource } from '../choice/RandomChoiceSource.ts';
import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { runSeed } from './runSeed.ts';

/** Options of {@link sweep}. */
export interface SweepOptions<R> {
  /** Runs to execute at most. */
  readonly maxRuns: number;
  readonly seed: number;
  /** One simulated run under the given choices. */
  readonly run: (choices: ChoiceSource) => Promise<R>;
  /** True when a run's result is a finding; the sweep stops at the first one. */
  readonly isFinding: (result: R) => boolean;
  /** Called after each run, e.g. for progress. */
  readonly onRun?: (runIndex: number, result: R) => void;
}

/** What a sweep saw: how many runs it took and, if it found something, the first finding. */
export interface SweepOutcome<R> {
  readonly runsExecuted: number;
  readonly finding?: { readonly runIndex: number; readonly runSeed: number; readonly result: R };
}

/** Runs seeded random runs until the first finding or `maxRuns`: the plain random strategy. */
export async function sweep<R>(options: SweepOptions<R>): Promise<SweepOutcome<R>> {
  for (let runIndex = 0; runIndex < options.maxRuns; runIndex += 1) {
    const seedOfRun = runSeed(options.seed, runIndex);
    const result = await options.run(new RandomChoiceSource(seedOfRun));
    options.onRun?.(runIndex, result);
    if (options.isFinding(result)) return { runsExecuted: runIndex + 1, finding: { runIndex, runSeed: seedOfRun, result } };
  }
  return { runsExecuted: options.maxRuns };
}
