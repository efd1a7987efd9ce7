import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { digestSpec, HARDENED } from './helpers.ts';

/**
 * `hung-request`: a request to the agents server that never reaches it and never fails. Before this fault kind no fault
 * left an agents-server request unanswered, so the hardened preset's request deadline (`request-timeout=abort`) was
 * never exercised on claims, heartbeats, renewals or dones.
 */
describe('a hung agents-server request', () => {
  it('without a request deadline, one hung claim loses the day: missed-action and lost-work, shrunk to that one fault', async () => {
    const report = await explore({ spec: digestSpec({ ...HARDENED, 'request-timeout': 'none' }, ['hung-request']), maxRuns: 300, seed: 1, properties: propertyNames(), maxShrinkAttempts: 200 });
    expect(report.finding?.property).toBe('missed-action');
    const shrunk = report.finding!.shrunk;
    expect(shrunk.violations.map((violation) => violation.property)).toEqual(expect.arrayContaining(['missed-action', 'lost-work']));
    const faults = shrunk.events.filter((event) => event.kind === 'fault');
    expect(faults.map((event) => [event.detail['kind'], event.detail['service'], event.detail['path']])).toEqual([['hung-request', 'agents-server', '/_electric/runners/runner-1/claim']]);
  });

  it('with the hardened deadline, the same seed shows no violation of any property in 300 runs, hung requests and all', async () => {
    const spec = digestSpec(HARDENED, ['hung-request']);
    const report = await explore({ spec, maxRuns: 300, seed: 1, properties: propertyNames(), maxShrinkAttempts: 0 });
    expect(report.finding).toBeUndefined();
    expect(report.runsExecuted).toBe(300);
    // Not clean by luck: the fault strikes in these runs, and the runtime gives up on the request and carries on.
    const strategy = new RandomStrategy(1);
    let hung = 0;
    for (let index = 0; index < 30; index += 1) {
      const run = await runScenario(spec, strategy.sourceForRun(index));
      hung += run.events.filter((event) => event.kind === 'fault' && event.detail['kind'] === 'hung-request').length;
    }
    expect(hung).toBeGreaterThan(0);
  });
});
