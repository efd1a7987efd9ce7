import { choiceSequence } from '../choice/choiceSequenceArbitrary.ts';

/**
 * Re-runs a candidate script; answers the normalised answers the run actually consumed when it still fails the
 * same way, or undefined when it does not.
 */
export type ShrinkProbe = (script: readonly number[]) => Promise<readonly number[] | undefined>;

export interface ShrinkOptions {
  /** Candidate runs to try at most. */
  readonly maxAttempts: number;
}

export interface ShrinkOutcome {
  readonly script: readonly number[];
  readonly attempts: number;
  /** Accepted candidates: each one a smaller story that still fails. */
  readonly improvements: number;
}

/**
 * Shrinks a failing choice script in two passes: first blocks of answers are set to 0 (the ordinary option) with
 * halving block sizes, then fast-check's own array shrinker (drop chunks, move values toward 0) runs, accepting the
 * first candidate that still fails and starting over from it, until no candidate fails or the budget is spent. Accepted scripts are replaced by the answers the run actually consumed, so
 * the result is exactly what a replay will feed.
 */
export async function shrinkChoices(initial: readonly number[], probe: ShrinkProbe, options: ShrinkOptions): Promise<ShrinkOutcome> {
  const arbitrary = choiceSequence({ maxLength: Math.max(initial.length, 1) });
  let current = trimTrailingZeros(initial);
  let attempts = 0;
  let improvements = 0;
  // Pass 1, delta debugging on values: set whole blocks of answers to 0 (the ordinary option) without removing them,
  // so the answers around a block keep their places. Halving block sizes, as in ddmin; cheap and aligned.
  for (let blockSize = highestPowerOfTwoAtMost(current.length); blockSize >= 1; blockSize = Math.floor(blockSize / 2)) {
    for (let start = 0; start < current.length && attempts < options.maxAttempts; start += blockSize) {
      const block = current.slice(start, start + blockSize);
      if (block.every((value) => value === 0)) continue;
      const candidate = [...current.slice(0, start), ...block.map(() => 0), ...current.slice(start + blockSize)];
      attempts += 1;
      const consumed = await probe(candidate);
      if (consumed === undefined) continue;
      const next = trimTrailingZeros(consumed);
      if (!isSmaller(next, current)) continue;
      current = next;
      improvements += 1;
    }
  }
  // Pass 2, fast-check's array shrinker: drops elements and moves single values toward 0.
  let improved = true;
  while (improved && attempts < options.maxAttempts) {
    improved = false;
    for (const candidate of arbitrary.shrink([...current], undefined)) {
      if (attempts >= options.maxAttempts) break;
      attempts += 1;
      const consumed = await probe(candidate.value);
      if (consumed === undefined) continue;
      const next = trimTrailingZeros(consumed);
      if (!isSmaller(next, current)) continue;
      current = next;
      improvements += 1;
      improved = true;
      break;
    }
  }
  return { script: current, attempts, improvements };
}

function highestPowerOfTwoAtMost(n: number): number {
  let power = 1;
  while (power * 2 <= n) power *= 2;
  return power;
}

/** Trailing zeros are what an exhausted script answers anyway. */
function trimTrailingZeros(script: readonly number[]): number[] {
  let end = script.length;
  while (end > 0 && script[end - 1] === 0) end -= 1;
  return script.slice(0, end);
}

/** Shorter first, then lexicographically smaller: a strict order, so shrinking terminates. */
function isSmaller(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return a[index]! < b[index]!;
  return false;
}
