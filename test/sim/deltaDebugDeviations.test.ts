import { describe, expect, it } from 'vitest';
import { deltaDebugDeviations } from '../../sim/shrink/deltaDebugDeviations.ts';

/** Runs ddmin over `initial` with a failure test; returns the final script and the number of tries. */
async function ddmin(initial: number[], fails: (script: readonly number[]) => boolean, budget = 1_000) {
  let current = initial;
  let tries = 0;
  const finished = await deltaDebugDeviations(
    () => current,
    async (candidate) => {
      tries += 1;
      if (!fails(candidate)) return false;
      current = candidate;
      return true;
    },
    () => budget - tries,
  );
  return { current, tries, finished };
}

describe('delta debugging over deviations', () => {
  it('keeps exactly the deviations the failure needs, in place', async () => {
    const initial = Array.from({ length: 40 }, (_, index) => (index % 3 === 0 ? 0 : index));
    // Fails while the answers at positions 7 and 29 are both still deviations.
    const { current, finished } = await ddmin(initial, (script) => script[7] !== 0 && script[29] !== 0);
    expect(finished).toBe(true);
    expect(current.flatMap((value, index) => (value === 0 ? [] : [index]))).toEqual([7, 29]);
    expect(current).toHaveLength(40);
  });

  it('is 1-minimal: no remaining deviation can be zeroed alone', async () => {
    // Fails when at least three deviations remain among the first ten positions.
    const fails = (script: readonly number[]) => script.slice(0, 10).filter((value) => value !== 0).length >= 3;
    const { current } = await ddmin(Array.from({ length: 20 }, () => 5), fails);
    const kept = current.flatMap((value, index) => (value === 0 ? [] : [index]));
    expect(kept).toHaveLength(3);
    for (const index of kept) expect(fails(current.map((value, position) => (position === index ? 0 : value)))).toBe(false);
  });

  it('stops at its budget and says so', async () => {
    const { tries, finished } = await ddmin(Array.from({ length: 64 }, () => 1), (script) => script.some((value) => value !== 0), 5);
    expect(tries).toBe(5);
    expect(finished).toBe(false);
  });
});
