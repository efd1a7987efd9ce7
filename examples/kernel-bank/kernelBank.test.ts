// The kernel alone, on a system that has nothing to do with agents: search, shrink and replay a lost update.
// In your project the imports read `from 'wake-sim/kernel'`.
import { describe, expect, it } from 'vitest';
import { createStrategy, decodeReplayToken, encodeReplayToken, RecordedChoiceSource, shrinkChoices, sweep, type ShrinkProbe } from '../../api/kernel.ts';
import { runBank, type BankVariant } from './runBank.ts';

const SEED = 1;
const MAX_RUNS = 200;
const MAX_SHRINK_ATTEMPTS = 1_000;

/** A shrink candidate still fails when the books do not balance; the shrinker then keeps the answers it consumed. */
const stillLosesMoney: ShrinkProbe = async (script) => {
  const run = await runBank('unsafe', new RecordedChoiceSource(script));
  return run.violation === undefined ? undefined : run.choices;
};

function search(variant: BankVariant) {
  return sweep({
    maxRuns: MAX_RUNS,
    strategy: createStrategy({ name: 'random', seed: SEED }),
    run: (choices) => runBank(variant, choices),
    isFinding: (run) => run.violation !== undefined,
  });
}

describe('kernel-bank: two transfers racing on one account', () => {
  it('the search finds the lost update, shrinks it to a local minimum, and a token replays the shrunk run exactly', async () => {
    const { finding } = await search('unsafe');
    expect(finding, `no lost update in ${MAX_RUNS} runs`).toBeDefined();

    const shrink = await shrinkChoices(finding!.result.choices, stillLosesMoney, { maxAttempts: MAX_SHRINK_ATTEMPTS });
    expect(shrink.oneMinimal).toBe(true);
    // The whole story: every request fast but one of the first payment's, which lets the second read alice's
    // balance before the first wrote it.
    expect(shrink.script.filter((answer) => answer !== 0)).toHaveLength(1);
    const shrunk = await runBank('unsafe', new RecordedChoiceSource(shrink.script));
    expect(shrunk.violation).toMatch(/^money not conserved/);
    // The lost update itself: one of the two debits of alice's account was overwritten by the other.
    expect([100_00 - 30_00, 100_00 - 50_00]).toContain(shrunk.finalBalancesCents['alice']);

    const token = encodeReplayToken({ spec: { example: 'kernel-bank', variant: 'unsafe' }, choices: shrink.script });
    const decoded = decodeReplayToken(token);
    expect(decoded.spec).toEqual({ example: 'kernel-bank', variant: 'unsafe' });
    const replayed = await runBank('unsafe', new RecordedChoiceSource(decoded.choices));
    expect(replayed.traceHash).toBe(shrunk.traceHash);
    expect(replayed.violation).toBe(shrunk.violation);
  });

  it('with the transfers in turn, no run of the same search loses money', async () => {
    const outcome = await search('serialised');
    expect(outcome.finding?.result.violation).toBeUndefined();
    expect(outcome.runsExecuted).toBe(MAX_RUNS);
  });
});
