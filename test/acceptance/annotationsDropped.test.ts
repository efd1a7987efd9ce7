import { describe, expect, it } from 'vitest';
import { setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import type { RunSpec, Scenario } from '../../scenarios/index.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import type { Violation } from '../../properties/index.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { BOTH_FIXES, digestSpec, V04 } from './helpers.ts';

/** Runs with every runtime annotation dropped until a violation matches; the run, or undefined within `maxRuns`. */
async function exploreWithoutAnnotations(spec: RunSpec, finding: (violation: Violation) => boolean, maxRuns: number, scenario?: Scenario): Promise<RunResult | undefined> {
  const outcome = await sweep({
    maxRuns,
    strategy: new RandomStrategy(1),
    run: (choices) => runScenario(spec, choices, { dropAnnotations: true, ...(scenario ? { scenario } : {}) }),
    isFinding: (result) => result.violations.some(finding),
  });
  return outcome.finding?.result;
}

/**
 * The verdicts of the run again with the annotations kept: the same, but for model conformance, the one property that
 * follows the runtime's own annotations (its internal models).
 */
async function verdictsWithAnnotations(result: RunResult, scenario?: Scenario): Promise<string[]> {
  const again = await runScenario(result.spec, new RecordedChoiceSource(result.choices), scenario ? { scenario } : {});
  return again.violations.filter((violation) => violation.property !== 'model-conformance').map((violation) => violation.message);
}
const verdicts = (result: RunResult): string[] => result.violations.filter((violation) => violation.property !== 'model-conformance').map((violation) => violation.message);

/**
 * The daily digest in a broken world: the Durable Streams service lists a pending inbox at its tail in a claim (its
 * cursor read after it was moved), so a runner that reads from the cursor it is given sees nothing of the new messages,
 * and its ack consumes them unseen.
 */
const claimsListTheTail: Scenario = {
  name: 'daily-digest',
  summary: 'planted in the world: claims list pending streams at their tail',
  followedByComposedModel: true,
  setUp: (sim, spec, runtime) =>
    setUpDailyDigest(sim, spec, runtime, {
      ...DEFAULT_DIGEST_OPTIONS,
      plantInWorld: (world) => {
        const claim = world.subscriptions.claim.bind(world.subscriptions);
        world.subscriptions.claim = (id: string, worker: string) => {
          const answer = claim(id, worker);
          return answer.ok ? { ok: true, value: { ...answer.value, streams: answer.value.streams.map((stream) => ({ ...stream, acked_offset: stream.tail_offset })) } } : answer;
        };
      },
    }),
};

describe('with every runtime annotation dropped, exploration still finds', () => {
  it("the v0.4 duplicate and defect A's wake replay, with the verdicts it reaches with them", async () => {
    const duplicate = await exploreWithoutAnnotations(digestSpec(V04), (violation) => violation.property === 'duplicate-action', 20);
    expect(duplicate?.violations.find((violation) => violation.property === 'duplicate-action')?.message).toMatch(/^digest-1 digest:\d performed twice/);
    expect(duplicate?.events.some((event) => event.annotation)).toBe(false);
    expect(await verdictsWithAnnotations(duplicate!)).toEqual(verdicts(duplicate!));

    const replay = await exploreWithoutAnnotations(digestSpec(V04), (violation) => violation.property === 'wake-replay', 20);
    expect(replay?.violations.find((violation) => violation.property === 'wake-replay')?.message).toMatch(/already processed by an earlier runner/);
    expect(await verdictsWithAnnotations(replay!)).toEqual(verdicts(replay!));
  });

  it('a lost message planted in the world (a claim that lists the inbox at its tail)', async () => {
    const lostMessage = (violation: Violation): boolean => violation.property === 'lost-work' && violation.message.includes('acked entities/digest-1/inbox');
    const lost = await exploreWithoutAnnotations(digestSpec(BOTH_FIXES), lostMessage, 20, claimsListTheTail);
    expect(lost).toBeDefined();
    expect(await verdictsWithAnnotations(lost!, claimsListTheTail)).toEqual(verdicts(lost!));
    // The world is at fault, not the runtime: the same runs on a sound world lose nothing.
    const sound = await runScenario(lost!.spec, new RecordedChoiceSource(lost!.choices), { dropAnnotations: true });
    expect(sound.violations.filter(lostMessage)).toEqual([]);
  });
});
