import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { shrinkChoices, type ShrinkOutcome } from '../sim/shrink/shrinkChoices.ts';
import { propertyNames, violationKind, type PropertyName } from '../properties/index.ts';
import type { RunSpec } from './index.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** Answers up to the last non-zero one: the script a token would carry. */
function trimmedLength(choices: readonly number[]): number {
  let length = choices.length;
  while (length > 0 && choices[length - 1] === 0) length -= 1;
  return length;
}

/** Properties violated by a run, restricted to the counted ones, in {@link propertyNames} order. */
export function countedViolations(result: RunResult, counted: readonly PropertyName[]): PropertyName[] {
  const violated = new Set(result.violations.map((violation) => violation.property));
  return propertyNames().filter((name) => violated.has(name) && counted.includes(name));
}

/**
 * What a run failed, finer than {@link countedViolations}: each counted property, as `property:cause` for every cause
 * its violations name (`concurrent-wake:restart-forgot-lease`) and as the bare name for a violation without one; in
 * property order, causes sorted, each once. What `npm run mutants` compares a mutant's runs with the baseline's by.
 */
export function countedViolationKinds(result: RunResult, counted: readonly PropertyName[]): string[] {
  return countedViolations(result, counted).flatMap((property) => {
    const kinds = new Set(result.violations.filter((violation) => violation.property === property).map(violationKind));
    return [...kinds].sort();
  });
}

/**
 * Shrinks a run's choices while `property` still fails, then runs the shrunk script once more: the story a replay of
 * its token shows. Deterministic: the same choices give the same script, in any process.
 */
export function shrinkToProperty(
  spec: RunSpec,
  choices: readonly number[],
  property: PropertyName,
  maxAttempts: number,
  onProgress?: (progress: ShrinkProgress) => void,
): Promise<{ readonly shrink: ShrinkOutcome; readonly shrunk: RunResult }> {
  return shrinkWhile(spec, choices, (result) => result.violations.some((violation) => violation.property === property), maxAttempts, onProgress);
}

/** Where a shrink stands, for progress displays. */
export interface ShrinkProgress {
  /** Candidate runs tried so far, and at most. */
  readonly tried: number;
  readonly maxAttempts: number;
  /** The smallest story that still fails, so far: its recorded choices and scheduler steps. */
  readonly bestChoices: number;
  readonly bestSteps: number;
}

/**
 * Shrinks a run's choices while `keeps` holds for the re-run (a violation, or a violation in a story of a given
 * shape), then runs the shrunk script once more. Deterministic like {@link shrinkToProperty}.
 */
export async function shrinkWhile(
  spec: RunSpec,
  choices: readonly number[],
  keeps: (result: RunResult) => boolean,
  maxAttempts: number,
  onProgress?: (progress: ShrinkProgress) => void,
): Promise<{ readonly shrink: ShrinkOutcome; readonly shrunk: RunResult }> {
  let tried = 0;
  let best = { choices: trimmedLength(choices), steps: Number.POSITIVE_INFINITY };
  const shrink = await shrinkChoices(
    choices,
    async (script) => {
      const result = await runScenario(spec, new RecordedChoiceSource(script));
      const kept = keeps(result);
      tried += 1;
      // The shrinker keeps a failing candidate when it is shorter: the best so far, as far as a display needs it.
      if (kept && trimmedLength(result.choices) <= best.choices) best = { choices: trimmedLength(result.choices), steps: result.steps };
      onProgress?.({ tried, maxAttempts, bestChoices: best.choices, bestSteps: Number.isFinite(best.steps) ? best.steps : 0 });
      return kept ? result.choices : undefined;
    },
    { maxAttempts },
  );
  return { shrink, shrunk: await runScenario(spec, new RecordedChoiceSource(shrink.script)) };
}
