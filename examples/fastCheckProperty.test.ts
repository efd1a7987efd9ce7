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
const bothFixes = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'retry', offset: 'durable' }, faults });
const v04 = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'swallow', offset: 'minus-one' }, faults });

/** One story fast-check generated, run under `spec`; a duplicate post fails it with the story and its replay token. */
const neverPostsTwice = (spec: RunSpec) => async (choices: number[]) => {
  assertNoViolation(await runScenario(spec, new RecordedChoiceSource(choices)), ['duplicate-action']);
};

// 500 runs, not fast-check's default 100: on v0.4 the first duplicate came within 191 runs on each of 40 seeds.
test.prop([choiceSequence()], { numRuns: 500 })('the fixed runtime never posts twice', neverPostsTwice(bothFixes));

test('the same property finds the v0.4 duplicate and says how to replay it', async () => {
  const outcome = await fc.check(fc.asyncProperty(choiceSequence(), neverPostsTwice(v04)), { numRuns: 500, seed: 1, endOnFailure: true });
  expect(outcome.failed).toBe(true);
  expect(String(outcome.errorInstance)).toMatch(/^SimPropertyError: duplicate-action: .*\n {2}replay it: {3}npm run sim -- replay ws2\./s);
});
