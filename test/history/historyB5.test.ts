import { describe, expect, it } from 'vitest';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';
import { countedProperties, historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

/**
 * B5 is checked as the other entries are (historyEntryChecks.ts), but for one thing: its fixed value is not clean in
 * the entry's world, and that finding is asserted here as what it is (docs/history.md, B5). The reset the fix lets
 * through needs two failed heartbeats in a row (30 s apart) after the connect hung; a network outage shorter than
 * that leaves the fixed runner as deaf as the defect, and only a read watchdog or a request timeout (O4's fixes, off
 * in this entry) ends that connect.
 */
const entry = historyEntry('B5');

/** Failed heartbeats the network observed (dropped by the outage) after the last hung connect of a run. */
function heartbeatFailuresAfterLastHungConnect(events: readonly TraceEvent[]): number {
  const hung = events.map((event, index) => (event.kind === 'fault' && event.detail['kind'] === 'hung-connect' ? index : -1));
  const lastHung = Math.max(...hung);
  expect(lastHung).toBeGreaterThanOrEqual(0);
  return events.slice(lastHung).filter((event) => event.kind === 'fault' && String(event.detail['path']).endsWith('/heartbeat')).length;
}

describe(`history entry B5: ${entry.title}`, () => {
  it(`${entry.switchName}=${entry.defect} (the defect) is found by ${entry.property}, with the outage in its story`, { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: 100, seed: 1, properties: countedProperties(entry), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe(entry.property);
    const shrunk = report.finding!.shrunk;
    expect(shrunk.violations.map((violation) => violation.property)).toEqual(expect.arrayContaining([entry.property, 'deaf-runner']));
    expect(shrunk.events.some((event) => event.kind === 'fault' && event.detail['kind'] === 'network-outage')).toBe(true);
  });

  it(`${entry.switchName}=${entry.fixed} (the fix) is not clean: its finding is an outage too short to fail two heartbeats after the hung connect`, { timeout: 120_000 }, async () => {
    const report = await explore({ spec: historySpec(entry, entry.fixed), maxRuns: 150, seed: 1, properties: countedProperties(entry), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('missed-action');
    const { original, shrunk } = report.finding!;
    for (const run of [original, shrunk]) {
      expect(run.violations.map((violation) => violation.property)).toContain('deaf-runner');
      expect(heartbeatFailuresAfterLastHungConnect(run.events)).toBeLessThan(2);
    }
  });

  it(`the fix is the value of ${entry.switchName} when the entry does not name it, and the defect value is accepted`, () => {
    const unset = runSpecFor({ scenario: entry.scenario, runtime: entry.runtime, preset: entry.preset, switches: entry.switches, faults: entry.faults });
    expect(unset.config[entry.switchName]).toBe(entry.fixed);
    expect(historySpec(entry, entry.defect).config[entry.switchName]).toBe(entry.defect);
  });
});
