import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nativeRunsToDuplicate, v04NativeSetup } from '../../bench/baseline/fcNative/nativeProperty.ts';
import type { NativeOutcome } from '../../bench/baseline/fcNative/runNativeStory.ts';

const FIX = { wiring: 'retry', offset: 'durable' };

/** Runs to the first duplicate for `seed`, and what its failing run posted twice. */
async function firstDuplicate(setup: ReturnType<typeof v04NativeSetup>, seed: number, maxRuns: number): Promise<{ runs: number | undefined; posted: readonly string[] }> {
  let last: NativeOutcome | undefined;
  const runs = await nativeRunsToDuplicate(setup, seed, maxRuns, (outcome) => (last = outcome));
  return { runs, posted: runs === undefined ? [] : (last?.duplicates ?? []) };
}

describe('the fast-check native baseline (bench/baseline/fcNative)', () => {
  it('finds the v0.4 digest posted twice within a few runs, and the same seed finds it at the same run again', async () => {
    const setup = v04NativeSetup('idle');
    const first = await firstDuplicate(setup, 2, 50);
    expect(first.runs).toBeDefined();
    expect(first.runs).toBeLessThanOrEqual(50);
    expect(first.posted.some((action) => action.startsWith('digest:'))).toBe(true);
    expect(await firstDuplicate(setup, 2, 50)).toEqual(first);
  });

  it('with time moving only when idle, finds no duplicate in the fix configuration (wiring=retry offset=durable)', async () => {
    for (const seed of [1, 2]) expect((await firstDuplicate(v04NativeSetup('idle', FIX), seed, 100)).runs).toBeUndefined();
  });

  it("with fast-check's timers recipe, posts twice in the fix configuration too: delays the recipe allows outlive the 30 s lease", async () => {
    const found = await firstDuplicate(v04NativeSetup('recipe', FIX), 1, 50);
    expect(found.runs).toBeDefined();
  });

  it('refuses a bad argument of bench:search-native in one line with exit 2', async () => {
    const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/search-power-native.ts', '--seeds', '0']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2, stdout: '', stderr: 'bench: --seeds must be a whole number of at least 1, not "0" (--help for usage)\n' });
  });
});
