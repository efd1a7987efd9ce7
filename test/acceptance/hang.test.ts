import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

/** The digest scenario with a planted defect: the handler waits for something that never comes. */
const hangingDigest: Scenario = {
  name: 'daily-digest',
  summary: 'planted hang',
  followedByComposedModel: true,
  setUp: (sim, spec, runtime) =>
    setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, plantInHandler: () => () => new Promise<void>(() => {}) }),
};

describe('hang detection', () => {
  it('reports a handler that never settles as a hang, listing the stuck wake', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource([]), { scenario: hangingDigest });
    const hang = result.violations.find((violation) => violation.property === 'hang');
    expect(hang?.message).toMatch(/host#1: handler of digest-1 for wake w_0+1 \(since 60\d\d\d ms\)/);
    expect(result.endedBy).toBe('horizon');
  });

  it('reports an exhausted step budget as a hang rather than running on', async () => {
    const tinyBudget: Scenario = {
      name: 'daily-digest',
      summary: 'tiny step budget',
      followedByComposedModel: true,
      setUp: (sim, spec, runtime) => setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, maxSteps: 40 }),
    };
    const result = await runScenario(digestSpec(BOTH_FIXES), new RandomChoiceSource(3), { scenario: tinyBudget });
    expect(result.endedBy).toBe('step-budget');
    expect(result.violations.find((violation) => violation.property === 'hang')?.message).toMatch(/step budget of 40 steps/);
  });

  it('does not report a hang in an ordinary run', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource([]));
    expect(result.violations).toEqual([]);
  });
});
