import type { ChoiceSource } from '../sim/choice/ChoiceSource.ts';
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { sweep } from '../sim/explore/sweep.ts';
import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import type { StrategyFigures } from '../sim/strategies/SearchStrategy.ts';
import { shrinkChoices, type ShrinkOutcome } from '../sim/shrink/shrinkChoices.ts';
import { PROPERTY_NAMES, type PropertyName } from '../properties/index.ts';
import type { RunSpec } from './index.ts';
import { replayTokenFor } from './replayTokens.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** What to explore. */
export interface ExploreRequest {
  readonly spec: RunSpec;
  readonly maxRuns: number;
  readonly seed: number;
  /** How runs are drawn (random unless given); `seed` seeds it. */
  readonly strategy?: Omit<StrategyOptions, 'seed'>;
  /** Properties that count as a finding (all by default). */
  readonly properties: readonly PropertyName[];
  /** Candidate runs the shrinker may try. */
  readonly maxShrinkAttempts: number;
  readonly onRun?: (runIndex: number, result: RunResult) => void;
}

/** A shrunk failing run and how it was found. */
export interface Finding {
  readonly runIndex: number;
  /** The property the shrinker preserved: the first of the run's counted violations in property order. */
  readonly property: PropertyName;
  readonly original: RunResult;
  readonly shrunk: RunResult;
  /** The shrunk choice script the token carries (trailing ordinary answers dropped). */
  readonly script: readonly number[];
  readonly shrinkAttempts: number;
  /** True when shrinking stopped at a local minimum (no single deviation removable), not at its budget. */
  readonly shrunkToLocalMinimum: boolean;
  readonly replayToken: string;
}

export interface ExploreReport {
  readonly request: ExploreRequest;
  readonly runsExecuted: number;
  /** The strategy's own figures, e.g. schedules covered and whether a bound cut an exhaustive search. */
  readonly strategy: { readonly name: string; readonly exhausted: boolean; readonly figures: StrategyFigures };
  readonly finding: Finding | undefined;
}

/** Default number of candidate runs the shrinker may try. */
export const DEFAULT_MAX_SHRINK_ATTEMPTS = 600;

/** Properties violated by a run, restricted to the counted ones, in {@link PROPERTY_NAMES} order. */
export function countedViolations(result: RunResult, counted: readonly PropertyName[]): PropertyName[] {
  const violated = new Set(result.violations.map((violation) => violation.property));
  return PROPERTY_NAMES.filter((name) => violated.has(name) && counted.includes(name));
}

/**
 * Shrinks a run's choices while `property` still fails, then runs the shrunk script once more: the story a replay of
 * its token shows.
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

/**
 * Sweeps seeded runs until one violates a counted property, then shrinks its choices while that property still
 * fails, and returns the shrunk run with the token that replays it.
 */
export async function explore(request: ExploreRequest): Promise<ExploreReport> {
  const run = (choices: ChoiceSource): Promise<RunResult> => runScenario(request.spec, choices);
  const strategy = createStrategy({ ...(request.strategy ?? { name: 'random' }), seed: request.seed });
  const outcome = await sweep({
    maxRuns: request.maxRuns,
    strategy,
    run,
    isFinding: (result) => countedViolations(result, request.properties).length > 0,
    ...(request.onRun ? { onRun: request.onRun } : {}),
  });
  const strategyReport = { name: strategy.name, exhausted: outcome.strategyExhausted, figures: strategy.figures() };
  if (!outcome.finding) return { request, runsExecuted: outcome.runsExecuted, strategy: strategyReport, finding: undefined };
  const original = outcome.finding.result;
  const property = countedViolations(original, request.properties)[0]!;
  const { shrink, shrunk } = await shrinkToProperty(request.spec, original.choices, property, request.maxShrinkAttempts);
  return {
    request,
    runsExecuted: outcome.runsExecuted,
    strategy: strategyReport,
    finding: {
      runIndex: outcome.finding.runIndex,
      property,
      original,
      shrunk,
      script: shrink.script,
      shrinkAttempts: shrink.attempts,
      shrunkToLocalMinimum: shrink.oneMinimal,
      replayToken: replayTokenFor(request.spec, shrink.script, property),
    },
  };
}
