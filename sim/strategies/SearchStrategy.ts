import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import type { Generations } from './Generations.ts';
import type { RunFeedback } from './RunFeedback.ts';

/** Names of the strategies `--strategy` accepts. */
export const STRATEGY_NAMES = ['random', 'pct', 'swarm', 'exhaustive', 'guided'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Figures a strategy reports about the search it ran, beside the run count (plain data, for reports and JSON). */
export type StrategyFigures = Readonly<Record<string, number | boolean | string>>;

/**
 * How a search picks the answers of each run: the small seam between the sweep and the choice sources, in the
 * spirit of fast-check's task selector. Every run's answers are recorded, so whatever the strategy, a run replays
 * from its recorded list alone and shrinks like any other.
 */
export interface SearchStrategy {
  readonly name: StrategyName;
  /**
   * The choice source of run `runIndex`, or undefined when the strategy has nothing left to try (an exhaustive
   * search that covered its space). Sweeps ask for runs in index order.
   */
  sourceForRun(runIndex: number): ChoiceSource | undefined;
  /**
   * Tells the strategy how run `runIndex` went, once it ended; strategies that plan later runs need it. `feedback`
   * is what the run reached, for strategies guided by coverage (see {@link wantsFeedback}).
   */
  runFinished?(runIndex: number, source: ChoiceSource, feedback?: RunFeedback): void;
  /** True when the strategy steers by {@link RunFeedback}: callers then compute it for every run. */
  readonly wantsFeedback?: boolean;
  /** True once the strategy has nothing left to try (an exhaustive search that covered its space). */
  readonly exhausted?: boolean;
  /** Figures about the search so far (e.g. schedules covered and whether a bound cut the search). */
  figures(): StrategyFigures;
  /**
   * True when run `runIndex`'s answers depend only on the seed and the index, so disjoint index ranges can run in
   * different processes and together cover what one process would.
   */
  readonly runsAreIndependent: boolean;
  /**
   * Present when runs come in generations: the runs of one generation depend only on the seed, their index and the
   * runs of earlier generations, so each generation can be spread over threads like independent runs.
   */
  readonly generations?: Generations;
}

/** True when a strategy's runs can be spread over threads or jobs: independent runs, or runs in generations. */
export function canSpreadRuns(strategy: SearchStrategy): boolean {
  return strategy.runsAreIndependent || strategy.generations !== undefined;
}
