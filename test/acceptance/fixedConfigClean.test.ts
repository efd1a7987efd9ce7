import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { BOTH_FIXES, digestSpec, FIXED, HARDENED } from './helpers.ts';

describe('the fixed configuration under the default faults', () => {
  it('wiring=retry offset=durable claim-reaper=sweep: a redeploy before the runner reported its offset replays a wake', async () => {
    // offset=durable's gap: what the runner had not reported yet is lost to the next process, which reads it again.
    // The hardened preset closes it with a server-side seek (below). About one run in a thousand shows it. Counted
    // alone: this configuration also shows `concurrent-wake` (a wiring retry through preload failures outlives its
    // lease; README, "A hardened configuration"), which comes first on some seeds. Counting wake-replay alone, seeds 1
    // and 2 find it at runs 298 and 321 and seed 6 not in 2,000 (2026-12-03, fault moments' revision 2): seed 2 leaves room.
    const report = await explore({ spec: digestSpec(FIXED), maxRuns: 2000, seed: 2, properties: ['wake-replay'], maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('wake-replay');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toContain('redeploy');
  });

  it('the hardened preset shows no violation of any kind in 1,000 runs', async () => {
    const report = await explore({ spec: digestSpec(HARDENED), maxRuns: 1000, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 50 });
    const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
    expect(found).toBe('nothing');
    expect(report.runsExecuted).toBe(1000);
  });

  it('without the reaper, a wake a redeploy abandoned leaves its claim active: stuck-claim', async () => {
    const report = await explore({ spec: digestSpec(BOTH_FIXES), maxRuns: 2000, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('stuck-claim');
    const shrunk = report.finding!.shrunk;
    expect(shrunk.events.filter((event) => event.kind === 'fault').map((event) => event.detail['kind'])).toContain('redeploy');
    expect(shrunk.violations.map((violation) => violation.property)).toEqual(['stuck-claim']);
  });
});
