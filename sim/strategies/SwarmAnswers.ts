import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { ChoiceHint } from '../choice/ChoiceSource.ts';

/** Chance, in percent, that a fault kind takes part in a swarm run at all. */
const KIND_ENABLED_PERCENT = 50;
/** Firing rates a swarm run picks from for each fault kind it keeps, in percent per fault point. */
const FIRING_RATES_PERCENT = [2, 10, 30, 60, 90] as const;

/** How one swarm run treats one fault kind. */
interface KindSetting {
  readonly enabled: boolean;
  readonly ratePercent: number;
}

/**
 * The answers of one swarm run (Groce et al., ISSTA 2012), from one seed: each fault kind, when first met, is kept
 * with probability ½ and given one of a few firing rates. A dropped kind answers "no" at its fault points, 0 for its
 * counts and the shortest of its delays; a kept kind fires at its rate (the top answer, so shrinking turns it off);
 * choices that belong to no fault are uniform. Shared by the swarm strategy and by guided runs, which continue the
 * swarm way after their replayed prefix.
 */
export class SwarmAnswers {
  private readonly rng: RandomGenerator;
  /** Settings per fault kind, drawn when the kind is first met (first-met order is a function of the answers). */
  private readonly settings = new Map<string, KindSetting>();

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** The answer, in `[0, optionCount)`, to a choice with at least two options. */
  answer(optionCount: number, hint: ChoiceHint | undefined): number {
    const fault = hint && hint.kind !== 'task' ? hint.fault : undefined;
    if (fault === undefined) return uniformInt(this.rng, 0, optionCount - 1);
    const setting = this.settingOf(fault);
    if (!setting.enabled) return 0;
    if (hint!.kind === 'fault') return uniformInt(this.rng, 0, 99) < setting.ratePercent ? optionCount - 1 : 0;
    return uniformInt(this.rng, 0, optionCount - 1);
  }

  private settingOf(fault: string): KindSetting {
    let setting = this.settings.get(fault);
    if (!setting) {
      const enabled = uniformInt(this.rng, 0, 99) < KIND_ENABLED_PERCENT;
      const ratePercent = FIRING_RATES_PERCENT[uniformInt(this.rng, 0, FIRING_RATES_PERCENT.length - 1)]!;
      setting = { enabled, ratePercent };
      this.settings.set(fault, setting);
    }
    return setting;
  }
}
