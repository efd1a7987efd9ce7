import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';
import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('O3');

describe('history entry O3, as lost work', () => {
  // The run that misses a reply holds the cleanup's ack past an item no handler was given: counting lost-work alone
  // finds the defect, with a redeploy in its shrunk story; the fix is clean by that property too.
  const entry = historyEntry('O3');

  it('stop-ack=tail is found by lost-work alone, with a redeploy in the story', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: 100, seed: 1, properties: ['lost-work'], maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('lost-work');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toContain('redeploy');
  });

  it('stop-ack=given is clean by lost-work alone in 150 runs', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.fixed), maxRuns: 150, seed: 1, properties: ['lost-work'], maxShrinkAttempts: 50 });
    expect(report.finding?.replayToken ?? 'nothing').toBe('nothing');
  });
});
