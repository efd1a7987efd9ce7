import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { ALL_FAULTS, digestSpec, HARDENED } from './helpers.ts';

/**
 * The hardened preset under every fault kind, at full strength (README, "A hardened configuration"). Since its last
 * four switches (2026-12-03, night) it shows no violation of any property in 5,000 runs of seed 1 and in 1,000 of seed
 * 4625 (held here); it is not clean on every seed: a network outage nearly as long as a lease, while a handler stalls
 * past it, takes the lease from under the handler, and the entity's next wake is granted beside it (seed 2, run 1281,
 * held here as the regression base of that finding). Two of the last switches are shown needed here: turned back,
 * `lease-store` and `catch-up` each bring their finding back within a few hundred runs of seed 1 (the others'
 * findings are rarer: README, "A hardened configuration").
 */
describe('the hardened preset under --faults all', () => {
  it('1,000 runs of seed 4625 show no violation of any property', async () => {
    const spec = digestSpec(HARDENED, ALL_FAULTS);
    const violations: string[] = [];
    const outcome = await sweep({
      maxRuns: 1000,
      strategy: new RandomStrategy(4625),
      run: (choices) => runScenario(spec, choices),
      isFinding: () => false,
      onRun: (runIndex, result) => violations.push(...result.violations.map((violation) => `run ${runIndex + 1}: ${violation.property}: ${violation.message}`)),
    });
    expect(outcome.runsExecuted).toBe(1000);
    expect(violations).toEqual([]);
  });

  it('run 1281 of seed 2: a 27 s network outage cuts every renewal of a stalled handler, and a second wake is granted beside it; nothing is posted twice', async () => {
    const result = await runScenario(digestSpec(HARDENED, ALL_FAULTS), new RandomStrategy(2).sourceForRun(1280));
    const properties = result.violations.map((violation) => violation.property);
    expect(properties).toContain('concurrent-wake');
    expect(properties).not.toContain('duplicate-action');
    const faults = result.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toEqual(expect.arrayContaining(['network-outage', 'slow-handler']));
  });

  it('with lease-store=memory (the reference service) a Durable Streams restart forgets a running wake\'s lease again', async () => {
    const report = await explore({ spec: digestSpec({ ...HARDENED, 'lease-store': 'memory' }, ALL_FAULTS), maxRuns: 1000, seed: 1, properties: ['concurrent-wake'], maxShrinkAttempts: 0 });
    expect(report.finding?.original.violations.find((violation) => violation.property === 'concurrent-wake')?.cause).toBe('restart-forgot-lease');
  });

  it('with catch-up=newest (the report\'s entity) a day a newer one superseded is missed again', async () => {
    const report = await explore({ spec: digestSpec({ ...HARDENED, 'catch-up': 'newest' }, ALL_FAULTS), maxRuns: 1000, seed: 1, properties: ['missed-action'], maxShrinkAttempts: 0 });
    expect(report.finding?.property).toBe('missed-action');
  });
});
