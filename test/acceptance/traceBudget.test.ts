import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { DEFAULT_MAX_TRACE_EVENTS } from '../../sim/run/traceBudget.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { getScenario, type Scenario } from '../../scenarios/index.ts';
import { setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { ALL_FAULTS, BOTH_FIXES, HARDENED, digestSpec } from './helpers.ts';

/**
 * The digest scenario with its own trace budget. Its switches are the registered scenario's: a run records the
 * switches it was set up with by their definitions (a switch added later stays out of the record at its default).
 */
const digestWithTraceBudget = (maxTraceEvents: number): Scenario => ({
  ...getScenario('daily-digest'),
  summary: `trace budget of ${maxTraceEvents} events`,
  setUp: (sim, spec, runtime) => setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, maxTraceEvents }),
});

describe('trace budget', () => {
  it('cuts off a run that keeps more trace events than its budget and reports it as a hang, listing the pending work', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES), new RandomChoiceSource(3), { scenario: digestWithTraceBudget(100) });
    expect(result.endedBy).toBe('trace-budget');
    // Checked between steps: the run ends holding at most one step's events more than the limit (and then its run-end).
    expect(result.events.length).toBeGreaterThanOrEqual(100);
    expect(result.events.length).toBeLessThan(130);
    const hang = result.violations.find((violation) => violation.property === 'hang');
    expect(hang?.message).toMatch(/^hang: trace budget of 100 observations exhausted \(\d+ kept after \d+ steps\); pending: .*task: /);
    expect(hang?.step).toBe(result.steps);
    expect(result.events.at(-1)).toMatchObject({ kind: 'run-end', detail: { endedBy: 'trace-budget' } });
  });

  it('leaves an ordinary run as it was: the default budget gives the same story as no trace limit at all', async () => {
    const spec = digestSpec(HARDENED, ALL_FAULTS);
    const withDefault = await runScenario(spec, new RandomChoiceSource(11));
    const unlimited = await runScenario(spec, new RandomChoiceSource(11), { scenario: digestWithTraceBudget(Number.MAX_SAFE_INTEGER) });
    expect(withDefault.endedBy).toBe('horizon');
    expect(withDefault.events.length).toBeLessThan(DEFAULT_MAX_TRACE_EVENTS / 10);
    expect(withDefault.traceHash).toBe(unlimited.traceHash);
    expect(withDefault.violations.map((violation) => violation.property)).toEqual(unlimited.violations.map((violation) => violation.property));
  });
});
