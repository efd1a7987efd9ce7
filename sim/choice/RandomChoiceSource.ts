import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { ChoiceSource } from './ChoiceSource.ts';

/** Seeded pseudo-random choices (for sweeps), recording every answer so the run can be replayed from the list. */
export class RandomChoiceSource implements ChoiceSource {
  private readonly rng: RandomGenerator;
  private readonly values: number[] = [];

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  get recorded(): readonly number[] {
    return this.values;
  }

  choose(optionCount: number, _label: string): number {
    if (optionCount <= 1) return 0;
    const value = uniformInt(this.rng, 0, optionCount - 1);
    this.values.push(value);
    return value;
  }
}
