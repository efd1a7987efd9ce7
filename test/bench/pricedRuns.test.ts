import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { digestSpec, V04 } from '../acceptance/helpers.ts';

/** The options the throughput bench prices the machinery with must leave the run itself as it is. */
describe('runs priced without conformance and properties', () => {
  it('take the same steps and answers, and report no violation (and, without conformance, no model transition)', async () => {
    const spec = digestSpec(V04);
    // v0.4 with the default faults fails on most seeds; the first that does is the run compared.
    let seed = 1;
    let judged = await runScenario(spec, new RandomChoiceSource(seed));
    while (judged.violations.length === 0 && seed < 20) judged = await runScenario(spec, new RandomChoiceSource(++seed));
    expect(judged.violations.length).toBeGreaterThan(0);
    expect(judged.modelTransitions.length).toBeGreaterThan(0);

    const alone = await runScenario(spec, new RandomChoiceSource(seed), { conformance: false, properties: false });
    expect(alone.steps).toBe(judged.steps);
    expect(alone.choices).toEqual(judged.choices);
    expect(alone.endedBy).toBe(judged.endedBy);
    expect(alone.violations).toEqual([]);
    expect(alone.modelTransitions).toEqual([]);
    // The world's events are the same; only the run's last event, which lists the violations, differs.
    expect(alone.events.slice(0, -1)).toEqual(judged.events.slice(0, -1));

    // Properties off alone: the composed model still follows the run, for its transitions.
    const unjudged = await runScenario(spec, new RandomChoiceSource(seed), { properties: false });
    expect(unjudged.violations).toEqual([]);
    expect(unjudged.modelTransitions).toEqual(judged.modelTransitions);
  });
});
