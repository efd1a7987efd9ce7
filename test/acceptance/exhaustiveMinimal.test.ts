import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { propertyNames } from '../../properties/index.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { FIXED } from './helpers.ts';

/**
 * Issue 4's exhaustive proof on the minimal scenario (one digest, one message, one redeploy, at most one preload
 * failure): within a bound of two non-ordinary answers per run, every schedule is run; the fixed configuration (both
 * fixes and a claim reaper, test/acceptance/helpers.ts) shows no violation of any property, and v0.4 shows the
 * duplicate.
 */
const minimal = (overrides: Record<string, string>): RunSpec =>
  runSpecFor({ scenario: 'minimal-digest', switches: overrides, faults: ['redeploy', 'preload-not-found', 'preload-foreign-item'] });

describe('exhaustive search of the minimal daily digest', () => {
  it('wiring=retry offset=durable claim-reaper=sweep: every schedule within the bound, no violation', { timeout: 120_000 }, async () => {
    const report = await explore({
      spec: minimal(FIXED),
      maxRuns: 100_000,
      seed: 1,
      strategy: { name: 'exhaustive', exhaustiveBounds: { maxDeviations: 2, maxChoicePoints: 2_000 } },
      properties: propertyNames(),
      maxShrinkAttempts: 100,
    });
    expect(report.finding).toBeUndefined();
    expect(report.strategy.exhausted).toBe(true);
    expect(report.strategy.figures['schedulesCovered']).toBe(report.runsExecuted);
    // The figure docs/search-strategies.md quotes; a change in the scenario or the tree shows up here.
    expect(report.runsExecuted).toBe(496);
  });

  it('v0.4: the search finds the duplicate digest, and its story has one restart and one preload failure', async () => {
    const report = await explore({
      spec: minimal({}),
      maxRuns: 100_000,
      seed: 1,
      strategy: { name: 'exhaustive', exhaustiveBounds: { maxDeviations: 2, maxChoicePoints: 2_000 } },
      properties: ['duplicate-action'],
      maxShrinkAttempts: 200,
    });
    expect(report.finding?.property).toBe('duplicate-action');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults.filter((kind) => kind === 'redeploy')).toHaveLength(1);
    expect(faults.filter((kind) => kind.startsWith('preload'))).toHaveLength(1);
  });
});
