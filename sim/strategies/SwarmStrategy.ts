import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { runSeed } from '../explore/runSeed.ts';
import type { SearchStrategy, StrategyFigures } from './SearchStrategy.ts';
import { SwarmChoiceSource } from './SwarmChoiceSource.ts';

/** Swarm runs: per run seed, a random subset of the fault kinds at random rates ({@link SwarmChoiceSource}). */
export class SwarmStrategy implements SearchStrategy {
  readonly name = 'swarm';
  readonly runsAreIndependent = true;

  constructor(private readonly seed: number) {}

  sourceForRun(runIndex: number): ChoiceSource {
    return new SwarmChoiceSource(runSeed(this.seed, runIndex));
  }

  figures(): StrategyFigures {
    return {};
  }
}
