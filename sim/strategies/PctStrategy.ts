import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { runSeed } from '../explore/runSeed.ts';
import { PctChoiceSource } from './PctChoiceSource.ts';
import type { SearchStrategy, StrategyFigures } from './SearchStrategy.ts';

/** Default bug depth of `--strategy pct`. */
export const DEFAULT_PCT_DEPTH = 3;
/**
 * Scheduling decisions (steps with more than one due task) per run that PCT places its change points among. A
 * constant rather than a measurement of earlier runs, so that every run depends only on the seed and its index.
 * Measured on daily-digest with the default faults (100 random runs): median 1, 90th percentile 3 — most reorderings
 * in this world come from drawn delivery delays, not from ties, so PCT's reach is small here (see the benchmark).
 */
export const PCT_EXPECTED_DECISIONS = 4;

/** PCT runs, one {@link PctChoiceSource} per run seed. */
export class PctStrategy implements SearchStrategy {
  readonly name = 'pct';
  readonly runsAreIndependent = true;

  constructor(
    private readonly seed: number,
    private readonly depth: number = DEFAULT_PCT_DEPTH,
  ) {}

  sourceForRun(runIndex: number): ChoiceSource {
    return new PctChoiceSource({ seed: runSeed(this.seed, runIndex), depth: this.depth, expectedDecisions: PCT_EXPECTED_DECISIONS });
  }

  figures(): StrategyFigures {
    return { depth: this.depth, expectedDecisions: PCT_EXPECTED_DECISIONS };
  }
}
