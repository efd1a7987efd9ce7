import { RandomChoiceSource } from '../choice/RandomChoiceSource.ts';
import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { runSeed } from '../explore/runSeed.ts';
import type { SearchStrategy, StrategyFigures } from './SearchStrategy.ts';

/** Uniform answers from a per-run seed: every task order, fault and delay as likely as the scenario's rates make it. */
export class RandomStrategy implements SearchStrategy {
  readonly name = 'random';
  readonly runsAreIndependent = true;

  constructor(private readonly seed: number) {}

  sourceForRun(runIndex: number): ChoiceSource {
    return new RandomChoiceSource(runSeed(this.seed, runIndex));
  }

  figures(): StrategyFigures {
    return {};
  }
}
