import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { ChoiceHint } from '../choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../choice/RecordingChoiceSource.ts';

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
 * Swarm testing (Groce et al., ISSTA 2012): each run keeps a random subset of the fault kinds and gives each kept
 * kind its own firing rate, instead of every run mixing every fault at the scenario's rates. A run without
 * redeploys but with frequent preload failures (or the reverse) explores corners that the average mix rarely
 * reaches, because some faults mask others. A dropped kind answers "no" at its fault points, 0 for its counts and
 * the shortest of its delays; choices that belong to no fault are uniform.
 */
export class SwarmChoiceSource extends RecordingChoiceSource {
  private readonly rng: RandomGenerator;
  /** Settings per fault kind, drawn when the kind is first met (first-met order is a function of the answers). */
  private readonly settings = new Map<string, KindSetting>();

  constructor(seed: number) {
    super();
    this.rng = xoroshiro128plus(seed);
  }

  protected answer(optionCount: number, _label: string, hint: ChoiceHint | undefined): number {
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
