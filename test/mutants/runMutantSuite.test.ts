import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_MUTANTS } from '../../mutants/catalog/index.ts';
import { exceedsBaseline } from '../../mutants/baselineSeparation.ts';
import type { ReplayCheck } from '../../mutants/exploreInWorkspace.ts';
import { confirmDetection, judgeByFailingRuns, MAX_LATER_WITNESSES } from '../../mutants/MutantVerdict.ts';
import { runMutantSuite } from '../../mutants/runMutantSuite.ts';
import { encodeReplayToken } from '../../sim/replay/replayToken.ts';

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
  const always = (check: ReplayCheck) => async () => check;
  it('stands when its token replays clean on the unmutated tree, and is flagged when it fails there too', async () => {
    expect(await confirmDetection(detected, always({ kind: 'clean' }))).toEqual(detected);
    expect(await confirmDetection(detected, always({ kind: 'reproduces' }))).toEqual({ kind: 'flagged', reason: 'missed-action at run 12: its token shows it on the unmutated tree too', token: 'ws2.x.y' });
    expect(await confirmDetection(detected, always({ kind: 'error', message: 'replay failed (exit 3): boom' }))).toMatchObject({ kind: 'flagged' });
  });

  it('told apart by its count, quotes the first of its later runs that replays clean when the quoted one does not', async () => {
    const shared = { property: 'missed-action', mutantRuns: 80, baselineRuns: 19 };
    const counted = { ...detected, shared, later: [{ run: 40, token: 'ws2.a.b' }, { run: 55, token: 'ws2.c.d' }, { run: 70, token: 'ws2.e.f' }] } as const;
    const replayed: string[] = [];
    const cleanFrom = (clean: string) => async (token: string): Promise<ReplayCheck> => {
      replayed.push(token);
      return token === clean ? { kind: 'clean' } : { kind: 'reproduces' };
    };
    expect(await confirmDetection(counted, cleanFrom('ws2.c.d'))).toEqual({ kind: 'detected', property: 'missed-action', run: 55, token: 'ws2.c.d', shared });
    expect(replayed).toEqual(['ws2.x.y', 'ws2.a.b', 'ws2.c.d']);
    expect(await confirmDetection(counted, cleanFrom('none'))).toEqual({
      kind: 'flagged',
      reason: 'missed-action at run 12: its token shows it on the unmutated tree too (as do the tokens of its next 3 failing runs)',
      token: 'ws2.x.y',
    });
  });
});

describe('a mutant that fails a property the baseline fails too', () => {
  /** A failing run as `explore --keep-going` lists it: its token judges the first property it violated. */
  const tokenOf = (number: number, property: string | undefined) => encodeReplayToken({ spec: { scenario: 'daily-digest', property }, choices: [number] });
  /** `kinds` as the CLI lists them: a property, or `property:cause` (properties/Violation.ts). */
  const run = (number: number, ...kinds: string[]) => {
    const properties = [...new Set(kinds.map((kind) => kind.split(':')[0]!))];
    return { run: number, properties, kinds, token: tokenOf(number, properties[0]) };
  };
  /** The baseline fails missed-action in 19 of 3,000 runs (its catch-up skip), never protocol. */
  const baseline = { kind: 'measured', runsExecuted: 3000, failingRuns: Array.from({ length: 19 }, (_, index) => run(100 + index * 150, 'missed-action')) } as const;
  const measured = (failingRuns: ReturnType<typeof run>[]) => ({ kind: 'measured', runsExecuted: 3000 - 19, failingRuns }) as const;

  it('is not detected when it fails it about as often as the baseline: it only met the same failures in other runs', () => {
    const verdict = judgeByFailingRuns(measured(Array.from({ length: 20 }, (_, index) => run(121 + index * 140, 'missed-action'))), baseline);
    expect(verdict).toEqual({ kind: 'survived', runsExecuted: 2981, unseparated: [{ property: 'missed-action', mutantRuns: 20, baselineRuns: 19 }] });
  });

  it('is detected when it fails it far more often, at the run by which that is beyond chance', () => {
    const often = Array.from({ length: 80 }, (_, index) => run(1 + index * 30, 'missed-action'));
    const verdict = judgeByFailingRuns(measured(often), baseline);
    expect(verdict).toMatchObject({ kind: 'detected', property: 'missed-action', shared: { mutantRuns: 80, baselineRuns: 19 } });
    // Ten failures in the first 271 runs against the baseline's two: not yet; the detection comes later, at a failing run.
    if (verdict.kind !== 'detected') throw new Error('not detected');
    expect(verdict.run).toBeGreaterThan(271);
    expect(often.map((failing) => failing.run)).toContain(verdict.run);
    expect(verdict.token).toBe(tokenOf(verdict.run, 'missed-action'));
    // The replay check's spares: the next failing runs of the property, each judging it.
    const next = often.filter((failing) => failing.run > verdict.run).slice(0, MAX_LATER_WITNESSES);
    expect(verdict.later).toEqual(next.map((failing) => ({ run: failing.run, token: tokenOf(failing.run, 'missed-action') })));
  });

  it('is detected at once by a property the baseline never fails, even after a shared one', () => {
    const verdict = judgeByFailingRuns(measured([run(5, 'missed-action'), run(701, 'missed-action', 'protocol')]), baseline);
    // Run 701's listed token judges missed-action, its first property; the detection's judges protocol, so that its
    // replay, and the check on the unmutated tree, look at what was detected.
    expect(verdict).toEqual({ kind: 'detected', property: 'protocol', run: 701, token: tokenOf(701, 'protocol') });
  });

  it('is compared cause by cause: a cause of a shared property the baseline never shows detects at once', () => {
    const worldCaused = { kind: 'measured', runsExecuted: 3000, failingRuns: Array.from({ length: 10 }, (_, index) => run(100 + index * 150, 'concurrent-wake:restart-forgot-lease')) } as const;
    // As often as the baseline for the world's cause: not told apart by it; one run of a cause the baseline never shows is.
    const mutant = measured([...Array.from({ length: 10 }, (_, index) => run(121 + index * 150, 'concurrent-wake:restart-forgot-lease')), run(2500, 'concurrent-wake:lease-outlived')]);
    const verdict = judgeByFailingRuns(mutant, worldCaused);
    expect(verdict).toEqual({ kind: 'detected', property: 'concurrent-wake', cause: 'lease-outlived', run: 2500, token: tokenOf(2500, 'concurrent-wake') });
    // Without it, the mutant is not told apart, and the table says by which kind.
    const without = judgeByFailingRuns(measured(Array.from({ length: 10 }, (_, index) => run(121 + index * 150, 'concurrent-wake:restart-forgot-lease'))), worldCaused);
    expect(without).toEqual({ kind: 'survived', runsExecuted: 2981, unseparated: [{ property: 'concurrent-wake:restart-forgot-lease', mutantRuns: 10, baselineRuns: 10 }] });
  });

  it("a cause that is the world's doing counts only by its rate, even where the baseline never shows it", () => {
    const clean = { kind: 'measured', runsExecuted: 3000, failingRuns: [] } as const;
    const once = judgeByFailingRuns(measured([run(1188, 'concurrent-wake:network-cut-lease')]), clean);
    expect(once).toEqual({ kind: 'survived', runsExecuted: 2981, unseparated: [{ property: 'concurrent-wake:network-cut-lease', mutantRuns: 1, baselineRuns: 0 }] });
    const often = judgeByFailingRuns(measured(Array.from({ length: 12 }, (_, index) => run(10 + index * 200, 'concurrent-wake:restart-forgot-lease'))), clean);
    expect(often).toMatchObject({ kind: 'detected', property: 'concurrent-wake', cause: 'restart-forgot-lease', shared: { mutantRuns: 12, baselineRuns: 0 } });
    // The holder's own cause still detects at once.
    expect(judgeByFailingRuns(measured([run(321, 'concurrent-wake:lease-outlived')]), clean)).toMatchObject({ kind: 'detected', cause: 'lease-outlived', run: 321 });
  });

  it('ignores runs the baseline fails, and is flagged when its exploration failed', () => {
    expect(judgeByFailingRuns(measured([run(100, 'missed-action', 'protocol')]), baseline)).toEqual({ kind: 'survived', runsExecuted: 2981 });
    expect(judgeByFailingRuns({ kind: 'timeout', afterMs: 5_000 }, baseline)).toMatchObject({ kind: 'flagged' });
  });
});

describe('telling a mutant apart from the baseline', () => {
  it('needs about ten failures against none, and more than twice the failures against the baseline\'s nineteen', () => {
    expect(exceedsBaseline({ failingRuns: 9, runs: 3000 }, { failingRuns: 0, runs: 3000 })).toBe(false);
    expect(exceedsBaseline({ failingRuns: 10, runs: 3000 }, { failingRuns: 0, runs: 3000 })).toBe(true);
    expect(exceedsBaseline({ failingRuns: 40, runs: 2981 }, { failingRuns: 19, runs: 3000 })).toBe(false);
    expect(exceedsBaseline({ failingRuns: 50, runs: 2981 }, { failingRuns: 19, runs: 3000 })).toBe(true);
    // Fewer runs of its own make the same count stronger evidence.
    expect(exceedsBaseline({ failingRuns: 45, runs: 1000 }, { failingRuns: 19, runs: 3000 })).toBe(true);
  });
});

describe('mutants/strykerJudge.ts (the command Stryker calls per mutant)', () => {
  const judge = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'mutants/strykerJudge.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('judges the tree with no mutant switched on as a survivor, by the suite rules', () => {
    const ran = judge('--runs', '5');
    expect([ran.status, ran.stdout]).toEqual([0, 'survived\n']);
  });

  it('refuses a bad budget with one line and exit 2', () => {
    const ran = judge('--runs', '0');
    expect(ran.status).toBe(2);
    expect(ran.stderr.split('\n')[0]).toBe('strykerJudge: --runs must be a whole number from 1 to 3000, not "0"');
  });
});
