import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';
import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('O4');

describe('history entry O4, as a deaf runner', () => {
  // The run that misses a digest is a deaf runner first: counting deaf-runner alone finds the same defect, with the
  // stale long-poll in its shrunk story; the fix is clean by that property too (the other checks count every one).
  const entry = historyEntry('O4');

  it('read-watchdog=none is found by deaf-runner alone, with a stale connection in the story', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: 100, seed: 1, properties: ['deaf-runner'], maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('deaf-runner');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toContain('stale-connection');
  });
});
