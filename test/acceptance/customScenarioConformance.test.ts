import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { dailyDigestScenario } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { minimalDigestScenario } from '../../scenarios/daily-digest/minimalDigestScenario.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { propertiesNotJudgedIn, type Scenario } from '../../scenarios/Scenario.ts';

/**
 * A scenario of a user's own that says nothing of the composed model, as docs/write-a-scenario.md builds one: here the
 * minimal digest's world under another name, so that its runs are the minimal digest's.
 */
const { followedByComposedModel: _followed, ...minimalWorld } = minimalDigestScenario;
const usersOwn: Scenario = { ...minimalWorld, name: 'users-own', summary: 'a scenario a user wrote' };

describe('model-conformance judges only the scenarios the composed model can follow', () => {
  it('a scenario that does not say its entity behaves like the digest entity is not judged by it, with the reason', () => {
    expect(propertiesNotJudgedIn(usersOwn, {})).toEqual([{ property: 'model-conformance', reason: expect.stringContaining('Scenario.followedByComposedModel') }]);
    expect(propertiesNotJudgedIn(usersOwn, {})[0]!.reason).toContain('scenario users-own');
  });

  it('the digest scenarios say so, and are judged (but for the worlds they list themselves)', () => {
    expect(propertiesNotJudgedIn(dailyDigestScenario, {})).toEqual([]);
    expect(propertiesNotJudgedIn(minimalDigestScenario, {})).toEqual([]);
    expect(propertiesNotJudgedIn(dailyDigestScenario, { entities: '2' }).map((entry) => entry.property)).toEqual(['model-conformance']);
  });

  it('a run of a scenario the model cannot follow is not fed to it: no model transitions, no model-conformance verdict', async () => {
    const spec = runSpecFor({ scenario: 'minimal-digest' });
    const followed = await runScenario(spec, new RecordedChoiceSource([]));
    const notFollowed = await runScenario(spec, new RecordedChoiceSource([]), { scenario: usersOwn });
    expect(followed.modelTransitions.length).toBeGreaterThan(0);
    expect(notFollowed.modelTransitions).toEqual([]);
    // The same run otherwise: the same events, judged by every other property alike.
    expect(notFollowed.traceHash).toBe(followed.traceHash);
    expect(notFollowed.violations.filter((violation) => violation.property === 'model-conformance')).toEqual([]);
  });
});
