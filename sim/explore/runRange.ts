/**
 * One of `count` disjoint parts of a sweep's run indexes, 1-based: run `r` belongs to shard `(r mod count) + 1`.
 * Interleaving (rather than cutting the budget into blocks) gives every shard runs from the start of the budget, so
 * each shard meets an early finding early.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Largest shard count accepted: far beyond any CI matrix, small enough that a typo cannot ask for a million jobs. */
export const MAX_SHARD_COUNT = 10_000;

/** An arithmetic run of run indexes: `first`, `first + step`, ... (`count` of them), ascending. */
export interface RunRange {
  readonly first: number;
  readonly step: number;
  readonly count: number;
}

/** Thrown when runs cannot be split: the strategy plans each run from the ones before it. */
export class ScaleOutError extends Error {
  override name = 'ScaleOutError';
}

/** The run indexes below `maxRuns` that belong to `shard` (all of them without a shard). */
export function runRange(maxRuns: number, shard?: Shard): RunRange {
  if (!shard) return { first: 0, step: 1, count: maxRuns };
  if (!Number.isInteger(shard.count) || !Number.isInteger(shard.index) || shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new RangeError(`shard ${shard.index}/${shard.count} is not one of 1/${shard.count} .. ${shard.count}/${shard.count}`);
  }
  const first = shard.index - 1;
  return { first, step: shard.count, count: first < maxRuns ? Math.ceil((maxRuns - first) / shard.count) : 0 };
}

/** The `position`-th run index of `range` (0-based). */
export function rangeIndex(range: RunRange, position: number): number {
  return range.first + position * range.step;
}

/** The part of `range` from position `from`, at most `count` runs long. */
export function subRange(range: RunRange, from: number, count: number): RunRange {
  return { first: rangeIndex(range, from), step: range.step, count: Math.max(0, Math.min(count, range.count - from)) };
}

/** How many run indexes of `range` are at most `runIndex`. */
export function runsUpTo(range: RunRange, runIndex: number): number {
  if (runIndex < range.first) return 0;
  return Math.min(range.count, Math.floor((runIndex - range.first) / range.step) + 1);
}
