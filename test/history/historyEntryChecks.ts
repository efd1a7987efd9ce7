import { describe, expect, it } from 'vitest';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';
import { countedProperties, historyEntry, historySpec } from '../../scenarios/history/historyEntries.ts';

/** Runs for the defect to show: every entry's is found within a few runs of seed 1 (bench:history, docs/history.md). */
const DEFECT_RUNS = 100;
/** Runs the fix must pass clean: a modest budget here; bench:history runs 2,000 per strategy. */
const FIXED_RUNS = 150;
/** The shrinker's budget: the finding's property is what is asserted, not the story's length. */
const SHRINK_ATTEMPTS = 50;

/**
 * The checks of one historical entry: its defect value is found by the property its scenario was chosen for, on seed
 * 1 within a small budget; its fix (the switch's default, or the value the entry's preset sets) is clean in a modest
 * one; and the world without the switch named has the fix, or, for an entry whose fix no preset sets yet
 * (`fixSetBy: 'entry'`), the defect. One test file per entry keeps each file's time small.
 */
export function checkHistoryEntry(id: string): void {
  const entry = historyEntry(id);
  describe(`history entry ${entry.id}: ${entry.title}`, () => {
    it(`${entry.switchName}=${entry.defect} (the defect) is found by ${entry.property}`, { timeout: 120_000 }, async () => {
      const report = await explore({ spec: historySpec(entry, entry.defect), maxRuns: DEFECT_RUNS, seed: 1, properties: countedProperties(entry), maxShrinkAttempts: SHRINK_ATTEMPTS });
      expect(report.finding?.property).toBe(entry.property);
      // The shrunk story still shows the defect's property, and it needed a fault of the entry's world to get there
      // (an entry whose world has none, B1's overlapping wakes of two entities, needs none).
      expect(report.finding!.shrunk.violations.map((violation) => violation.property)).toContain(entry.property);
      const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
      if (entry.faults.length === 0) expect(faults).toEqual([]);
      else expect(faults.some((kind) => entry.faults.includes(kind))).toBe(true);
    });

    it(`${entry.switchName}=${entry.fixed} (the fix) is clean in ${FIXED_RUNS} runs`, { timeout: 120_000 }, async () => {
      const report = await explore({ spec: historySpec(entry, entry.fixed), maxRuns: FIXED_RUNS, seed: 1, properties: countedProperties(entry), maxShrinkAttempts: SHRINK_ATTEMPTS });
      const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
      expect(found).toBe('nothing');
      expect(report.runsExecuted).toBe(FIXED_RUNS);
    });

    if (entry.fixSetBy === 'entry') {
      // No preset sets this fix yet: the world without the switch named is the shipped defect, and the entry names the fix.
      it(`${entry.switchName} is the defect when the entry does not name it; the entry's spec names the fix`, () => {
        const unset = runSpecFor({ scenario: entry.scenario, runtime: entry.runtime, preset: entry.preset, switches: entry.switches, faults: entry.faults });
        expect(unset.config[entry.switchName]).toBe(entry.defect);
        expect(historySpec(entry, entry.fixed).config[entry.switchName]).toBe(entry.fixed);
        expect(historySpec(entry, entry.defect).config[entry.switchName]).toBe(entry.defect);
      });
      return;
    }
    it(`the fix is the value of ${entry.switchName} when the entry does not name it, and the defect value is accepted`, () => {
      const unset = runSpecFor({ scenario: entry.scenario, runtime: entry.runtime, preset: entry.preset, switches: entry.switches, faults: entry.faults });
      expect(unset.config[entry.switchName]).toBe(entry.fixed);
      expect(historySpec(entry, entry.defect).config[entry.switchName]).toBe(entry.defect);
    });
  });
}
