import { propertyNames, type PropertyName } from '../../properties/index.ts';
import { replayTokenFor } from '../replayTokens.ts';
import type { RunResult } from '../runScenario.ts';
import { countedViolations } from '../shrinkToProperty.ts';
import { simPropertyError } from './SimPropertyError.ts';

/**
 * Throws a {@link SimPropertyError} when `result` violates one of `properties` (default: all): the first of them in
 * property order, with the story's summary, its replay token and trace hash — for a fast-check property over
 * `choiceSequence()`, whose failure then reads like `simCheck`'s instead of a list of raw answers.
 *
 * ```ts
 * test.prop([choiceSequence()])('never posts twice', async (choices) => {
 *   assertNoViolation(await runScenario(spec, new RecordedChoiceSource(choices)), ['duplicate-action']);
 * });
 * ```
 */
export function assertNoViolation(result: RunResult, properties: readonly PropertyName[] = propertyNames()): void {
  const [property] = countedViolations(result, properties);
  if (property === undefined) return;
  throw simPropertyError(result, property, replayTokenFor(result.spec, result.choices, property));
}
