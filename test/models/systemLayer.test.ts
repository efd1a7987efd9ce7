import { describe, expect, it } from 'vitest';
import { annotationsOfRun, modelStatesAlong } from '../../cli/format/modelStates.ts';
import { allConfigs } from '../../models/coverage/measureCoverage.ts';
import { followRun } from '../../models/followRun.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import { ALL_FAULTS, digestSpec } from '../acceptance/helpers.ts';

/** v0.4 as a runtime we did not write would come: the same behaviour, no declared annotation vocabulary. */
const undeclared: RuntimeUnderTest = { ...v04Runtime, annotations: undefined };

/** Every combination of the three switches but retry-same-db (whose hang outlives a lease: see leaseOverrun.test.ts). */
const CONFIGS = allConfigs().filter((config) => config.wiring !== 'retry-same-db');
const RUNS = 48;

describe('the system models alone', () => {
  it('judge v0.4 with every annotation dropped: all faults, every configuration, no conformance failure, and they still find', async () => {
    const found = new Set<string>();
    for (let runIndex = 0; runIndex < RUNS; runIndex += 1) {
      const config = CONFIGS[(runIndex * 7) % CONFIGS.length]!;
      const result = await runScenario(digestSpec({ ...config }, ALL_FAULTS), new RandomChoiceSource(runSeed(5, runIndex)), { dropAnnotations: true });
      expect(result.events.some((event) => event.annotation)).toBe(false);
      const conformance = result.violations.find((violation) => violation.property === 'model-conformance');
      expect(conformance?.message, `${JSON.stringify(config)} run ${runIndex}`).toBeUndefined();
      result.violations.forEach((violation) => found.add(violation.property));
    }
    // The agreement check held for each of these, on the properties the system models judge.
    expect([...found].sort()).toEqual(expect.arrayContaining(['duplicate-action', 'missed-action', 'wake-replay']));
  });

  it('judge a runtime that declares no vocabulary, whatever it annotates: its runtime machines never take part', async () => {
    const result = await runScenario(digestSpec({}), new RandomChoiceSource(runSeed(1, 3)), { runtime: undeclared });
    expect(result.events.some((event) => event.kind === 'wake-start' && event.annotation)).toBe(true);
    expect(result.violations.map((violation) => violation.property)).not.toContain('model-conformance');
    const { model, refused } = followRun({ events: result.events, config: result.spec.config, faults: result.spec.faults, annotations: undeclared.annotations ?? [] });
    expect(refused).toBeUndefined();
    expect(model.describe()).not.toMatch(/runnerLifecycle|wiringChain/);
  });

  it('are what the report shows for a run without annotations: no runtime machine among the states', async () => {
    const result = await runScenario(digestSpec({}), new RandomChoiceSource(runSeed(1, 3)), { dropAnnotations: true });
    expect(annotationsOfRun(result.events)).toEqual([]);
    const states = modelStatesAlong(result.events, result.spec.config, result.spec.faults);
    const machines = new Set(states.flatMap((view) => view.machines.map((machine) => machine.machine)));
    expect([...machines].sort()).toEqual(['digestEntity', 'runner host#1', ...[...machines].filter((name) => /^runner host#[2-9]$/.test(name)), 'wakeStream'].sort());
    expect(states.every((view) => view.failure === null)).toBe(true);
  });
});
