import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { FinishedRun } from '../PlannedChoiceSource.ts';

/** A run the guided search keeps because it reached coverage keys no earlier run had reached. */
export interface CorpusEntry {
  /** Position in the corpus: entries are admitted in run-index order, so this order is the same in every search. */
  readonly id: number;
  readonly runIndex: number;
  readonly run: FinishedRun;
  readonly keys: readonly string[];
  /** Keys this run reached first. */
  readonly newKeys: number;
}

/**
 * Integer scale of energies: weights are whole numbers, so a weighted pick is exact integer arithmetic on every
 * platform. One unit of energy (a key only one run reached) weighs this much.
 */
const ENERGY_SCALE = 1_000_000;
/**
 * Energy every entry keeps even when it owns no key, as a fraction of the mean: an entry whose rare keys were all
 * taken over by shorter runs is still a useful parent now and then.
 */
const BASE_ENERGY_FRACTION_OF_MEAN = 0.05;

/**
 * The guided search's corpus and its power schedule. Every run is merged in run-index order: it counts towards the
 * hits of each key it reached, and is admitted when it reached a key no earlier run had. Energies, the chance of each
 * entry to be picked as a parent, are recomputed on {@link rebalance} (once per generation), AFL-style: each key is
 * owned by the shortest entry that reached it (ties: the earliest), and an entry's energy is the sum of 1 / hits over
 * the keys it owns. A key few runs reach makes its owner a likely parent; as mutations of that owner reach the key
 * again, its hits grow and the energy flows elsewhere, so the schedule needs no separate decay.
 */
export class Corpus {
  private readonly entries: CorpusEntry[] = [];
  private readonly hits = new Map<string, number>();
  /** Cumulative integer weights of the entries, in id order, as of the last rebalance. */
  private cumulativeWeights: number[] = [];

  /** Entries kept so far. */
  get size(): number {
    return this.entries.length;
  }

  /** Distinct keys any merged run reached. */
  get keysReached(): number {
    return this.hits.size;
  }

  /** Merges one run; returns the number of keys it reached first (the run was admitted when it is above 0). */
  merge(runIndex: number, run: FinishedRun, keys: readonly string[]): number {
    let newKeys = 0;
    for (const key of keys) {
      const hits = this.hits.get(key) ?? 0;
      if (hits === 0) newKeys += 1;
      this.hits.set(key, hits + 1);
    }
    if (newKeys > 0) this.entries.push({ id: this.entries.length, runIndex, run, keys, newKeys });
    return newKeys;
  }

  /** Recomputes every entry's energy from the current hits; picks see the entries admitted up to now. */
  rebalance(): void {
    const owner = new Map<string, CorpusEntry>();
    for (const entry of this.entries) {
      for (const key of entry.keys) {
        const current = owner.get(key);
        if (current === undefined || entry.run.answers.length < current.run.answers.length) owner.set(key, entry);
      }
    }
    const energies = this.entries.map(() => 0);
    for (const [key, entry] of owner) energies[entry.id]! += 1 / this.hits.get(key)!;
    const mean = energies.reduce((sum, energy) => sum + energy, 0) / Math.max(1, energies.length);
    let total = 0;
    this.cumulativeWeights = energies.map((energy) => {
      total += Math.max(1, Math.round(ENERGY_SCALE * (energy + BASE_ENERGY_FRACTION_OF_MEAN * mean)));
      return total;
    });
  }

  /** An entry drawn with probability proportional to its energy; undefined while nothing is pickable. */
  pick(rng: RandomGenerator): CorpusEntry | undefined {
    const count = this.cumulativeWeights.length;
    if (count === 0) return undefined;
    const target = uniformInt(rng, 0, this.cumulativeWeights[count - 1]! - 1);
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulativeWeights[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return this.entries[low]!;
  }

  /** An entry drawn uniformly (a splice partner); undefined while nothing is pickable. */
  pickUniformly(rng: RandomGenerator): CorpusEntry | undefined {
    const count = this.cumulativeWeights.length;
    return count === 0 ? undefined : this.entries[uniformInt(rng, 0, count - 1)]!;
  }
}
