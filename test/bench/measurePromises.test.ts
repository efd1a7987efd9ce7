import { describe, expect, it } from 'vitest';
import { promiseNanoseconds, promisesPerRun } from '../../bench/throughput/measurePromises.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { digestSpec, V04 } from '../acceptance/helpers.ts';

describe('the promises of a run, as the throughput bench counts them', () => {
  it('counts more promises than steps, and divides by the steps the runs took', async () => {
    const spec = digestSpec(V04, []);
    // The hook counts every promise the process makes meanwhile (a first run's one-time set-up too): a figure, not a
    // property of the runs, so only its bounds are checked.
    const twice = await promisesPerRun(spec, 2);
    // Each step of a run is at least one awaited drain hop, so a run makes more promises than it takes steps.
    expect(twice.perStep).toBeGreaterThan(1);
    const strategy = new RandomStrategy(1);
    const steps = (await runScenario(spec, strategy.sourceForRun(0))).steps + (await runScenario(spec, strategy.sourceForRun(1))).steps;
    expect(twice.perStep).toBeCloseTo((twice.perRun * 2) / steps, 9);
  });

  it('prices a promise at a positive, finite number of nanoseconds', async () => {
    const nanoseconds = await promiseNanoseconds(6_000);
    expect(nanoseconds).toBeGreaterThan(0);
    expect(Number.isFinite(nanoseconds)).toBe(true);
  });
});
