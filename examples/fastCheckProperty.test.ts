// examples/fastCheckProperty.test.ts
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { choiceSequence } from '../sim/choice/choiceSequenceArbitrary.ts';
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { assertNoViolation } from '../scenarios/testing/assertNoViolation.ts';

const faults = ['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder'];
const hardened = runSpecFor({ scenario: 'daily-digest', preset: 'hardened', faults });
const bothFixes = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'retry', offset: 'durable' }, faults });
const v04 = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'swallow', offset: 'minus-one' }, faults });

/** One story fast-check generated, run under `spec`; a duplicate post fails it with the story and its replay token. */
const neverPostsTwice = (spec: RunSpec) => async (choices: number[]) => {
  assertNoViolation(await runScenario(spec, new RecordedChoiceSource(choices)), ['duplicate-action']);
};

/** The first failing story of `spec` within 500 runs of fast-check `seed`, unshrunk, as the error text users see. */
const firstFailure = async (spec: RunSpec, seed: number) => {
  const outcome = await fc.check(fc.asyncProperty(choiceSequence(), neverPostsTwice(spec)), { numRuns: 500, seed, endOnFailure: true });
  return outcome.failed ? String(outcome.errorInstance) : 'no failure';
};

// 500 runs, not fast-check's default 100: on v0.4 the first duplicate came within 191 runs on each of 40 seeds.
// The seed is pinned so that this suite is deterministic; without it every CI run tries new stories.
test.prop([choiceSequence()], { numRuns: 500, seed: 1 })('the hardened runtime never posts twice', neverPostsTwice(hardened));

test('the same property finds the v0.4 duplicate and says how to replay it', async () => {
  expect(await firstFailure(v04, 1)).toMatch(/^SimPropertyError: duplicate-action: .*\n {2}replay it: {3}npm run sim -- replay ws2\./s);
});

test('the two fixes alone still post twice when the preload keeps failing past the 30 s lease', async () => {
  expect(await firstFailure(bothFixes, 6)).toMatch(/^SimPropertyError: duplicate-action: .*the story: .*faults: .*preload-not-found ×\d+/s);
});
