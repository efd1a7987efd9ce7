import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { checkHistoryEntry } from './historyEntryChecks.ts';

/** The index of the last event before `end` that `matches`, or -1. */
function lastIndexBefore(events: readonly TraceEvent[], end: number, matches: (event: TraceEvent) => boolean): number {
  for (let index = end - 1; index >= 0; index -= 1) if (matches(events[index]!)) return index;
  return -1;
}

checkHistoryEntry('B4c');

describe('history entry B4c, its mechanism', () => {
  const entry = historyEntry('B4c');

  it('the shrunk story has a claim dispatched after SIGTERM, the redeploy struck while its answer was on its way', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: 100, seed: 1, properties: ['model-conformance'], maxShrinkAttempts: 50 });
    const events = report.finding!.shrunk.events;
    const dispatched = events.findIndex((event) => event.kind === 'claim-dispatched-during-stop');
    expect(dispatched).toBeGreaterThanOrEqual(0);
    const process = events[dispatched]!.actor;
    const sigterm = lastIndexBefore(events, dispatched, (event) => event.kind === 'sigterm' && event.actor === process);
    expect(sigterm).toBeGreaterThanOrEqual(0);
    // The agents server granted that process's claim before its SIGTERM: the answer was on the wire when the stop began.
    const granted = lastIndexBefore(events, sigterm, (event) => event.kind === 'claim-answered' && event.detail['peer'] === process);
    expect(events[granted]?.detail['status']).toBe(200);
  });
});
