import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_MUTANTS } from '../../mutants/catalog/index.ts';
import { confirmDetection } from '../../mutants/MutantVerdict.ts';
import { runMutantSuite } from '../../mutants/runMutantSuite.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLANTED = ['v04-heartbeat-spacing-ignored', 'v04-registered-offset-ignored'];

/**
 * The machinery end to end, on a small budget: the unmutated v0.4 runtime explores clean, each planted mutant is
 * found by an oracle (the verdicts come from exploration), and the project's own sources are never touched.
 */
describe('npm run mutants', () => {
  it('finds planted mutants, leaves the unmutated tree clean and the sources untouched', async () => {
    const mutants = ALL_MUTANTS.filter((mutant) => PLANTED.includes(mutant.id));
    const sourcesBefore = mutants.map((mutant) => readFileSync(join(ROOT, mutant.file), 'utf8'));
    const report = await runMutantSuite({ projectRoot: ROOT, mutants, budget: { strategy: 'random', runs: 10, seed: 1 }, workers: 2, timeoutMs: 120_000 });

    expect(report.baselines).toEqual([{ runtime: 'v0.4', result: { kind: 'measured', runsExecuted: 10, failingRuns: [] } }]);
    const verdicts = Object.fromEntries(report.outcomes.map(({ mutant, verdict }) => [mutant.id, verdict]));
    // Under every fault kind its run 1 also misses a digest (missed-action comes first in property order).
    expect(verdicts['v04-heartbeat-spacing-ignored']).toMatchObject({ kind: 'detected', run: 1 });
    expect(verdicts['v04-registered-offset-ignored']).toMatchObject({ kind: 'detected', property: 'wake-replay' });
    for (const verdict of Object.values(verdicts)) if (verdict.kind === 'detected') expect(verdict.token).toMatch(/^ws\d\./);
    expect(mutants.map((mutant) => readFileSync(join(ROOT, mutant.file), 'utf8'))).toEqual(sourcesBefore);
  });
});

describe('a detection', () => {
  const detected = { kind: 'detected', property: 'missed-action', run: 12, token: 'ws2.x.y' } as const;
  it('stands when its token replays clean on the unmutated tree, and is flagged when it fails there too', () => {
    expect(confirmDetection(detected, { kind: 'clean' })).toBe(detected);
    expect(confirmDetection(detected, { kind: 'reproduces' })).toEqual({ kind: 'flagged', reason: 'missed-action at run 12: its token shows it on the unmutated tree too', token: 'ws2.x.y' });
    expect(confirmDetection(detected, { kind: 'error', message: 'replay failed (exit 3): boom' })).toMatchObject({ kind: 'flagged' });
  });
});
