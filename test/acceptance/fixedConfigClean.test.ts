import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

describe('wiring=retry offset=durable', () => {
  it('shows no violation of any kind in 2,000 runs with the default faults', async () => {
    const report = await explore({ spec: digestSpec(BOTH_FIXES), maxRuns: 2000, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 50 });
    const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
    expect(found).toBe('nothing');
    expect(report.runsExecuted).toBe(2000);
  });
});
