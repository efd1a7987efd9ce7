import { describe, expect, it } from 'vitest';
import { shrinkChoices } from '../../sim/shrink/shrinkChoices.ts';

describe('shrinkChoices', () => {
  it('shrinks to a minimal script that still fails', async () => {
    // "Fails" when some answer is at least 50: the minimal failing script is a single 50.
    const probe = async (script: readonly number[]) => (script.some((value) => value >= 50) ? script : undefined);
    const outcome = await shrinkChoices([3, 7, 0, 99, 12, 64, 5], probe, { maxAttempts: 500 });
    expect(outcome.script).toEqual([50]);
    expect(outcome.improvements).toBeGreaterThan(0);
  });

  it('keeps the original when nothing smaller fails', async () => {
    const probe = async (script: readonly number[]) => (script.length === 2 && script[0] === 1 && script[1] === 1 ? script : undefined);
    const outcome = await shrinkChoices([1, 1], probe, { maxAttempts: 100 });
    expect(outcome.script).toEqual([1, 1]);
  });

  it('respects the attempt budget', async () => {
    let calls = 0;
    const probe = async (script: readonly number[]) => {
      calls += 1;
      return script.reduce((sum, value) => sum + value, 0) >= 1000 ? script : undefined;
    };
    const outcome = await shrinkChoices(Array.from({ length: 200 }, (_, index) => index * 7), probe, { maxAttempts: 25 });
    expect(calls).toBe(25);
    expect(outcome.attempts).toBe(25);
  });
});
