import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { shrinkChoices, type ShrinkOutcome } from '../sim/shrink/shrinkChoices.ts';
import { propertyNames, type PropertyName } from '../properties/index.ts';
import type { RunSpec } from './index.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** Properties violated by a run, restricted to the counted ones, in {@link propertyNames()} order. */
export function countedViolations(result: RunResult, counted: readonly PropertyName[]): PropertyName[] {
  const violated = new Set(result.violations.map((violation) => violation.property));
  return propertyNames().filter((name) => violated.has(name) && counted.includes(name));
}

/**
 * Shrinks a run's choices while `property` still fails, then runs the shrunk script once more: the story a replay of
 * its token shows. Deterministic: the same choices give the same script, in any process.
 */
export async function shrinkToProperty(
  spec: RunSpec,
  choices: readonly number[],
  property: PropertyName,
  maxAttempts: number,
): Promise<{ readonly shrink: ShrinkOutcome; readonly shrunk: RunResult }> {
  const shrink = await shrinkChoices(
    choices,
    async (script) => {
      const result = await runScenario(spec, new RecordedChoiceSource(script));
      return result.violations.some((violation) => violation.property === property) ? result.choices : undefined;
    },
    { maxAttempts },
  );
  return { shrink, shrunk: await runScenario(spec, new RecordedChoiceSource(shrink.script)) };
}
