import { choiceSequence } from '../choice/choiceSequenceArbitrary.ts';
import { deltaDebugDeviations } from './deltaDebugDeviations.ts';

/**
 * Re-runs a candidate script; answers the normalised answers the run actually consumed when it still fails the
 * same way, or undefined when it does not.
 */
export type ShrinkProbe = (script: readonly number[]) => Promise<readonly number[] | undefined>;

/** How many answers at the head of a story pass 1 works on: where scenarios draw counts and their items. */
const STRUCTURE_PREFIX_LENGTH = 24;
/** Pass 1 lowers only answers this small: counts. Larger ones (times, delays) are left to passes 2 and 3. */
const MAX_COUNT_VALUE = 8;

export interface ShrinkOptions {
  /** Candidate runs to try at most. */
  readonly maxAttempts: number;
}

export interface ShrinkOutcome {
  readonly script: readonly number[];
  readonly attempts: number;
  /** Accepted candidates: each one a smaller story that still fails. */
  readonly improvements: number;
  /**
   * True when the shrinker stopped at a local minimum rather than at its budget: delta debugging found no single
   * deviation to turn ordinary and fast-check's shrinker found no smaller failing candidate.
   */
  readonly oneMinimal: boolean;
}

/**
 * Shrinks a failing choice script in three passes, each accepting a candidate only when it still fails and is
 * smaller (shorter, or equal length and lexicographically smaller), until the attempt budget is spent:
 * 1. at the head of the story, lower each answer by one and drop the answers that followed it (a count and its items);
 * 2. delta debugging over the deviations ({@link deltaDebugDeviations}): turn subsets of non-zero answers into 0;
 * 3. fast-check's own array shrinker (drop chunks, move single values toward 0) until no candidate fails;
 * passes 2 and 3 repeat until a round changes nothing. Accepted scripts are replaced by the answers the run actually
 * consumed, so the result is exactly what a replay will feed.
 */
export async function shrinkChoices(initial: readonly number[], probe: ShrinkProbe, options: ShrinkOptions): Promise<ShrinkOutcome> {
  const arbitrary = choiceSequence({ maxLength: Math.max(initial.length, 1) });
  let current = trimTrailingZeros(initial);
  let attempts = 0;
  let improvements = 0;
  // Pass 1, the head of the story, where scenarios draw their structure (how many days, messages, faults; then
  // their times): lower a count and drop the answers that belonged to the removed item, which follow it.
  const accept = async (candidate: number[]): Promise<boolean> => {
    attempts += 1;
    const consumed = await probe(candidate);
    if (consumed === undefined) return false;
    const next = trimTrailingZeros(consumed);
    if (!isSmaller(next, current)) return false;
    current = next;
    improvements += 1;
    return true;
  };
  for (let index = 0; index < Math.min(current.length, STRUCTURE_PREFIX_LENGTH) && attempts < options.maxAttempts; index += 1) {
    let lowered = true;
    while (lowered && current[index]! > 0 && current[index]! <= MAX_COUNT_VALUE && attempts < options.maxAttempts) {
      lowered = false;
      for (const dropped of [1, 0, 2]) {
        const candidate = [...current.slice(0, index), current[index]! - 1, ...current.slice(index + 1 + dropped)];
        if (await accept(candidate)) {
          lowered = true;
          break;
        }
      }
    }
  }
  // Passes 2 and 3 in rounds until a whole round changes nothing (a local minimum for both) or the budget is spent:
  // pass 3 can open new room for pass 2 and the other way round.
  let oneMinimal = false;
  while (attempts < options.maxAttempts) {
    const before = improvements;
    // Pass 2, delta debugging over the deviations (the answers that are not 0), keeping every answer's place.
    const ddminFinished = await deltaDebugDeviations(() => current, accept, () => options.maxAttempts - attempts);
    // Pass 3, fast-check's array shrinker: drops elements and moves single values toward 0.
    let improved = true;
    while (improved && attempts < options.maxAttempts) {
      improved = false;
      for (const candidate of arbitrary.shrink([...current], undefined)) {
        if (attempts >= options.maxAttempts) break;
        if (await accept(candidate.value)) {
          improved = true;
          break;
        }
      }
    }
    if (improvements === before) {
      oneMinimal = ddminFinished && attempts < options.maxAttempts;
      break;
    }
  }
  return { script: current, attempts, improvements, oneMinimal };
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
