import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { ALL_FAULTS, digestSpec, HARDENED } from './helpers.ts';

/**
 * The hardened preset under every fault kind, at full strength (README, "A hardened configuration"). Since its switches
 * of 2026-12-04 it shows no violation of any property in 5,000 runs of seeds 1, 2 and 3 and in 1,000 of seed 4625 (held
 * here). The runs that failed before them are held as regression bases: a network outage nearly as long as a lease,
 * while a handler stalls in a slow call past it, takes the lease from under the handler, and the entity's next wake is
 * granted beside it (seed 2, run 1281); the handler told of the lost claim (`handler-signal=lease`) and ending its slow
 * call on it (`slow-call=abortable`) closes it, and an entity whose slow call cannot be cut short brings it back. Two of
 * the earlier switches are shown needed here: turned back, `lease-store` and `catch-up` each bring their finding back
 * within a few hundred runs of seed 1 (the others' findings are rarer: README, "A hardened configuration").
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

  it('run 1281 of seed 2: a 27 s network outage cuts every renewal of a stalled handler; an entity whose slow call cannot be cut short runs on beside the next wake, one that honours ctx.signal ends first', async () => {
    const seed2Run1281 = () => new RandomStrategy(2).sourceForRun(1280);
    const uninterruptible = await runScenario(digestSpec({ ...HARDENED, 'slow-call': 'uninterruptible' }, ALL_FAULTS), seed2Run1281());
    const properties = uninterruptible.violations.map((violation) => violation.property);
    expect(properties).toContain('concurrent-wake');
    expect(properties).not.toContain('duplicate-action');
    const faults = uninterruptible.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toEqual(expect.arrayContaining(['network-outage', 'slow-handler']));

    const hardened = await runScenario(digestSpec(HARDENED, ALL_FAULTS), seed2Run1281());
    expect(hardened.violations).toEqual([]);
    expect(hardened.events.filter((event) => event.kind === 'slow-handler-aborted')).toHaveLength(1);
  });

  it('a handler stuck in a shared-state write when its claim is lost ends with the claim (the run guided search met under a mutant)', async () => {
    // Guided search, exploring mutant v04-already-claimed-is-error (2026-12-04), met a run the unmutated runtime failed
    // too: five renewals in a row hung, the fence gave the claim up while the handler waited on a shared-state write on
    // a hung connection, and the entity's next wake was granted beside it 30 s later. The write now ends on the lost
    // claim as the handler's own calls do (handler-signal=lease).
    const token = readFileSync(new URL('./fixtures/hardenedHungWrite.token', import.meta.url), 'utf8').trim();
    const result = await replay(readReplayToken(token));
    expect(result.violations).toEqual([]);
    // The wake whose claim the fence gave up during the hung write (the eighth) is abandoned, its write aborted,
    // rather than left waiting on it.
    const wakesWith = (kind: string) => result.events.filter((event) => event.kind === kind).map((event) => event.detail['wakeId']);
    expect(wakesWith('lease-lost')).toContain('w_000000000000000000000008');
    expect(wakesWith('wake-abandoned')).toContain('w_000000000000000000000008');
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
