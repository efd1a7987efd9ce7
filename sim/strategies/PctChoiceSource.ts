import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { ChoiceHint } from '../choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../choice/RecordingChoiceSource.ts';

/** Options of one PCT run. */
export interface PctRunOptions {
  readonly seed: number;
  /** The bug depth d the run targets: d - 1 priority change points. */
  readonly depth: number;
  /** Scheduling decisions a run is expected to make: change points are drawn uniformly below it. */
  readonly expectedDecisions: number;
}

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) over the scheduler's task choices: every kind
 * of task gets a random priority when first seen, the highest-priority due task always runs, and at d - 1 randomly
 * placed decisions the kind that just ran drops below every other. A bug that needs d ordering constraints is hit
 * with probability at least 1 / (n k^(d-1)) per run. Choices that are not task orders (faults, delays, counts) are
 * drawn uniformly, as the random strategy draws them.
 */
export class PctChoiceSource extends RecordingChoiceSource {
  private readonly rng: RandomGenerator;
  /** Priority per task kind; higher runs first. Initial priorities sit above every change-point priority. */
  private readonly priorities = new Map<string, number>();
  /** Decision indexes at which the chosen kind is demoted, mapped to the low priority it gets. */
  private readonly changePoints = new Map<number, number>();
  private decisions = 0;

  constructor(private readonly options: PctRunOptions) {
    super();
    this.rng = xoroshiro128plus(options.seed);
    // d - 1 distinct decisions, drawn without replacement (a partial Fisher-Yates shuffle of the decision indexes).
    const decisions = Array.from({ length: options.expectedDecisions }, (_, index) => index);
    const points = Math.min(options.depth - 1, decisions.length);
    for (let point = 0; point < points; point += 1) {
      const pick = uniformInt(this.rng, point, decisions.length - 1);
      [decisions[point], decisions[pick]] = [decisions[pick]!, decisions[point]!];
      this.changePoints.set(decisions[point]!, point + 1 - options.depth);
    }
  }

  protected answer(optionCount: number, _label: string, hint: ChoiceHint | undefined): number {
    return hint?.kind === 'task' ? this.pickTask(hint.keys) : uniformInt(this.rng, 0, optionCount - 1);
  }

  private pickTask(keys: readonly string[]): number {
    let best = 0;
    for (let index = 0; index < keys.length; index += 1) {
      if (this.priorityOf(keys[index]!) > this.priorityOf(keys[best]!)) best = index;
    }
    const demoteTo = this.changePoints.get(this.decisions);
    if (demoteTo !== undefined) this.priorities.set(keys[best]!, demoteTo);
    this.decisions += 1;
    return best;
  }

  private priorityOf(key: string): number {
    let priority = this.priorities.get(key);
    if (priority === undefined) {
      // A fresh kind lands at a random place among the kinds seen so far (all above the change-point priorities).
      priority = uniformInt(this.rng, 0, 0x3fffffff);
      this.priorities.set(key, priority);
    }
    return priority;
  }
}
