import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';
import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('B4c');

describe('history entry B4c, its mechanism', () => {
  const entry = historyEntry('B4c');

  it('the shrunk story has a claim dispatched after SIGTERM, the redeploy struck while its answer was on its way', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: 100, seed: 1, properties: ['model-conformance'], maxShrinkAttempts: 50 });
    const events = report.finding!.shrunk.events;
    const sigterm = events.findIndex((event) => event.kind === 'sigterm');
    const dispatched = events.findIndex((event) => event.kind === 'claim-dispatched-during-stop');
    expect(sigterm).toBeGreaterThanOrEqual(0);
    expect(dispatched).toBeGreaterThan(sigterm);
  });
});
