import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { choiceSequence } from '../../sim/choice/choiceSequenceArbitrary.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { digestSpec, FIXED, V04 } from './helpers.ts';

const violatedBy = async (config: typeof V04, choices: readonly number[]): Promise<string[]> =>
  (await runScenario(digestSpec(config), new RecordedChoiceSource(choices))).violations.map((violation) => violation.property);

describe('the choice sequence as a fast-check arbitrary', () => {
  // The way a user writes a property suite: fast-check generates the story, and shrinks it when the property fails.
  test.prop([choiceSequence()], { numRuns: 150, seed: 7 })('wiring=retry offset=durable claim-reaper=sweep never violates anything', async (choices) => {
    expect(await violatedBy(FIXED, choices)).toEqual([]);
  });

  test('fast-check finds the v0.4 duplicate and shrinks it to a story that still duplicates', async () => {
    // fast-check has no shrink budget; after the first failure, candidates beyond this many runs are let pass, so the
    // shrinker stops at the smallest failure found by then (re-checked below). Deterministic: it counts runs. 300 do not
    // always shorten a story (dropping an answer shifts every later one): of seeds 1 to 16 measured on 2026-12-03,
    // seed 15 shortens its first failure from 577 choices to 157, seeds 2, 3, 5, 12 and 16 by 1 to 29, the other nine
    // not at all (their answers shrink instead; seed 14 finds no failure in 300 runs). `explore`'s own shrinker, which
    // knows the choices' shapes, is the one to use.
    const SHRINK_RUNS = 300;
    let runsAfterFailure: number | undefined;
    let firstFailureLength = 0;
    const result = await fc.check(
      fc.asyncProperty(choiceSequence({ maxLength: 600 }), async (choices) => {
        if (runsAfterFailure !== undefined && ++runsAfterFailure > SHRINK_RUNS) return true;
        const duplicates = (await violatedBy(V04, choices)).includes('duplicate-action');
        if (duplicates && runsAfterFailure === undefined) {
          runsAfterFailure = 0;
          firstFailureLength = choices.length;
        }
        return !duplicates;
      }),
      { seed: 15, numRuns: 300 },
    );
    expect(result.failed).toBe(true);
    const [shrunk] = result.counterexample!;
    expect(result.numShrinks).toBeGreaterThan(0);
    expect(shrunk.length).toBeLessThan(firstFailureLength / 2);
    expect(await violatedBy(V04, shrunk)).toContain('duplicate-action');
  });
});
