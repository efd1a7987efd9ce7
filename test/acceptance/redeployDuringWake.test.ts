import { describe, expect, it } from 'vitest';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { stopsDuringWakes } from '../../bench/wakeInFlightStops.ts';
import { digestSpec, V04 } from './helpers.ts';

/** The first runs of the default exploration: `explore` with no options draws these (strategy random, seed 1). */
const RUNS = 100;

describe('fault points put redeploys where the wakes are (issue 15)', () => {
  it('at least one run in ten of the default exploration redeploys a host while one of its wakes is in flight', async () => {
    const strategy = new RandomStrategy(1);
    let runsWithOne = 0;
    for (let runIndex = 0; runIndex < RUNS; runIndex += 1) {
      const run = await runScenario(digestSpec(V04), strategy.sourceForRun(runIndex));
      if (stopsDuringWakes(run.events).some((stop) => stop.deploy === 'redeploy')) runsWithOne += 1;
    }
    expect(runsWithOne).toBeGreaterThanOrEqual(RUNS / 10);
  });
});
