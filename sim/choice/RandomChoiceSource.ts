import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { RecordingChoiceSource } from './RecordingChoiceSource.ts';

/** Seeded pseudo-random choices (for sweeps), recording every answer so the run can be replayed from the list. */
export class RandomChoiceSource extends RecordingChoiceSource {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    super();
    this.rng = xoroshiro128plus(seed);
  }

  protected answer(optionCount: number): number {
    return uniformInt(this.rng, 0, optionCount - 1);
  }
}
