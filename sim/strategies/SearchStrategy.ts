import type { ChoiceSource } from '../choice/ChoiceSource.ts';

/** Names of the strategies `--strategy` accepts. */
export const STRATEGY_NAMES = ['random', 'pct', 'swarm', 'exhaustive'] as const;
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
  /** Tells the strategy how run `runIndex` went, once it ended; strategies that plan the next run need it. */
  runFinished?(runIndex: number, source: ChoiceSource): void;
  /** Figures about the search so far (e.g. schedules covered and whether a bound cut the search). */
  figures(): StrategyFigures;
  /**
   * True when run `runIndex`'s answers depend only on the seed and the index, so disjoint index ranges can run in
   * different processes and together cover what one process would.
   */
  readonly runsAreIndependent: boolean;
}
