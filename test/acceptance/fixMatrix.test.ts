import { describe, expect, it } from 'vitest';
import { matrixMarkdown, SHRINK_ATTEMPTS } from '../../cli/commands/matrixCommand.ts';
import { fixMatrix } from '../../scenarios/fixMatrix.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';

/** The two cells, named by every switch the page's columns show. */
const V04 = { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' };
const BOTH_FIXES = { wiring: 'retry', offset: 'durable', idempotency: 'raw-collection' };

describe('fix matrix', () => {
  it('finds the v0.4 duplicate and nothing with both fixes and the claim reaper in 40 runs, from exploration, with tokens that replay', async () => {
    const [v04, fixed] = await fixMatrix({
      scenario: 'daily-digest',
      faults: DEFAULT_FAULT_KINDS,
      runsPerCell: 40,
      seed: 1,
      maxShrinkAttempts: 40,
      // Without the reaper, a wake a redeploy abandons leaves its claim active (stuck-claim) within these runs.
      baseSwitches: { 'claim-reaper': 'sweep' },
      configs: [V04, BOTH_FIXES],
    });
    const found = v04!.findings.map((finding) => finding.property);
    expect(found).toEqual(expect.arrayContaining(['duplicate-action', 'unwired-resolve']));
    expect(fixed!.findings.map((finding) => `${finding.property} ${finding.replay}`)).toEqual([]);
    expect(fixed!.runs).toBe(40);
    const duplicate = v04!.findings.find((finding) => finding.property === 'duplicate-action')!;
    const replayed = await replay(readReplayToken(duplicate.replay));
    expect(replayed.steps).toBe(duplicate.shrunkSteps);
    expect(replayed.violations.map((violation) => violation.property)).toContain('duplicate-action');
    const page = matrixMarkdown([v04!, fixed!], { runs: 40, seed: 1, faults: DEFAULT_FAULT_KINDS, scenario: 'daily-digest', strategy: 'random', shrinkAttempts: SHRINK_ATTEMPTS, runtime: 'v0.4', base: {}, varied: ['wiring', 'offset', 'idempotency'], doc: 'docs/x.md' });
    expect(page).toContain('| swallow | minus-one | raw-collection | ');
    expect(page.split('\n').filter((line) => line.startsWith('| retry | durable |'))[0]).toMatch(/(\| - ){6}\|$/);
  });
});
