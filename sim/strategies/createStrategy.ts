import { DEFAULT_EXHAUSTIVE_BOUNDS, ExhaustiveStrategy, type ExhaustiveBounds } from './ExhaustiveStrategy.ts';
import { DEFAULT_GUIDED_OPTIONS, GuidedStrategy, type GuidedOptions } from './GuidedStrategy.ts';
import { DEFAULT_PCT_DEPTH, PctStrategy } from './PctStrategy.ts';
import { RandomStrategy } from './RandomStrategy.ts';
import type { SearchStrategy, StrategyName } from './SearchStrategy.ts';
import { SwarmStrategy } from './SwarmStrategy.ts';

/** Everything that selects and tunes a strategy. */
export interface StrategyOptions {
  readonly name: StrategyName;
  readonly seed: number;
  /** PCT's bug depth. */
  readonly pctDepth?: number;
  readonly exhaustiveBounds?: ExhaustiveBounds;
  readonly guided?: GuidedOptions;
}

/** A fresh strategy (strategies keep state across runs, so one per search). */
export function createStrategy(options: StrategyOptions): SearchStrategy {
  switch (options.name) {
    case 'random':
      return new RandomStrategy(options.seed);
    case 'pct':
      return new PctStrategy(options.seed, options.pctDepth ?? DEFAULT_PCT_DEPTH);
    case 'swarm':
      return new SwarmStrategy(options.seed);
    case 'exhaustive':
      return new ExhaustiveStrategy(options.exhaustiveBounds ?? DEFAULT_EXHAUSTIVE_BOUNDS);
    case 'guided':
      return new GuidedStrategy(options.seed, options.guided ?? DEFAULT_GUIDED_OPTIONS);
  }
}
