import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { BOTH_FIXES, digestSpec, FIXED } from './helpers.ts';

describe('the fixed configuration under the default faults', () => {
  it('wiring=retry offset=durable claim-reaper=sweep shows no violation of any kind in 2,000 runs', async () => {
    const report = await explore({ spec: digestSpec(FIXED), maxRuns: 2000, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 50 });
    const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
    expect(found).toBe('nothing');
    expect(report.runsExecuted).toBe(2000);
  });

  it('without the reaper, a wake a redeploy abandoned leaves its claim active: stuck-claim', async () => {
    const report = await explore({ spec: digestSpec(BOTH_FIXES), maxRuns: 2000, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('stuck-claim');
    const shrunk = report.finding!.shrunk;
    expect(shrunk.events.filter((event) => event.kind === 'fault').map((event) => event.detail['kind'])).toContain('redeploy');
    expect(shrunk.violations.map((violation) => violation.property)).toEqual(['stuck-claim']);
  });
});
