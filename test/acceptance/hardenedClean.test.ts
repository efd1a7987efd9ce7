import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { ALL_FAULTS, digestSpec, HARDENED } from './helpers.ts';

/**
 * The regression base of the hardened preset: under every fault kind, at full strength, no property is violated
 * (README, "A hardened configuration", measures 5,000 runs). Model conformance is left out: its digest entity model
 * does not know a failed shared-state write after a post, nor a deduplicated post, and fails a few runs in 5,000
 * where every property judged from outside agrees nothing went wrong.
 */
describe('the hardened preset under --faults all', () => {
  it('violates no property judged from outside in 1,000 runs', async () => {
    const properties = propertyNames().filter((name) => name !== 'model-conformance');
    const report = await explore({ spec: digestSpec(HARDENED, ALL_FAULTS), maxRuns: 1000, seed: 4625, properties, maxShrinkAttempts: 50 });
    const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
    expect(found).toBe('nothing');
    expect(report.runsExecuted).toBe(1000);
  });
});
