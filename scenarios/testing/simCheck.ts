import type { StrategyOptions } from '../../sim/strategies/createStrategy.ts';
import type { StrategyName } from '../../sim/strategies/SearchStrategy.ts';
import { propertyNames, type PropertyName } from '../../properties/index.ts';
import { explore } from '../explore.ts';
import type { RunSpec } from '../index.ts';
import { normaliseReplayToken, readReplayToken, replay, type ReplayRequest } from '../replayTokens.ts';
import { countedViolations } from '../shrinkToProperty.ts';
import { simPropertyError, specSummary } from './SimPropertyError.ts';

export { SimPropertyError } from './SimPropertyError.ts';

/** The environment variable that makes {@link simCheck} replay one story instead of exploring. */
export const SIM_REPLAY_VARIABLE = 'SIM_REPLAY';

/** Runs explored by default: enough to find the v0.4 duplicate on every seed tried, short enough for a suite. */
export const DEFAULT_SIM_CHECK_RUNS = 200;
/** Candidate runs the shrinker may try by default (fewer than `explore`'s: a test suite waits for it). */
export const DEFAULT_SIM_CHECK_SHRINK_ATTEMPTS = 200;

/** Options of {@link simCheck}. */
export interface SimCheckOptions {
  /** Run budget (default {@link DEFAULT_SIM_CHECK_RUNS}). */
  readonly runs?: number;
  /** Base seed (default 1). */
  readonly seed?: number;
  /** The properties that must hold (default: all). */
  readonly properties?: readonly PropertyName[];
  /** How runs are drawn: a strategy name or its options (default random). */
  readonly strategy?: StrategyName | Omit<StrategyOptions, 'seed'>;
  readonly maxShrinkAttempts?: number;
  /** Worker threads (default 1: this thread); the outcome is the same for any number. */
  readonly workers?: number;
  /** The test file, for the `SIM_REPLAY=... npx vitest run FILE` line of a failure (itExplores fills it in). */
  readonly testFile?: string;
  /**
   * A token to replay instead of exploring. Default: `process.env.SIM_REPLAY`; `null` explores whatever the
   * environment says.
   */
  readonly replay?: string | null;
}

/** What a passing check did. */
export type SimCheckOutcome =
  | { readonly mode: 'explored'; readonly runsExecuted: number }
  | { readonly mode: 'replayed'; readonly traceHash: string }
  /** The token to replay describes another scenario, configuration or fault set: nothing was run. */
  | { readonly mode: 'not-this-spec'; readonly tokenSpec: string };

/**
 * Explores `spec` for a violation of `properties` (in a vitest test, or any async test runner) and throws a
 * {@link SimPropertyError} for the first one, shrunk, whose message holds the property, a one-line summary, the
 * replay command and the `SIM_REPLAY=<token> npx vitest run <file>` line that re-runs the test on that story.
 *
 * With `SIM_REPLAY` set (or `replay` given), nothing is explored: the token's story is run once and the check fails
 * when it violates one of `properties`, passes otherwise. A token for another scenario, configuration or fault set
 * runs nothing (`not-this-spec`; itExplores skips such tests), so one variable can target one test of a file.
 */
export async function simCheck(spec: RunSpec, options: SimCheckOptions = {}): Promise<SimCheckOutcome> {
  const properties = options.properties ?? [...propertyNames()];
  const token = options.replay === undefined ? process.env[SIM_REPLAY_VARIABLE] : options.replay;
  if (token !== null && token !== undefined && token !== '') return checkReplay(spec, token, properties);
  const runs = options.runs ?? DEFAULT_SIM_CHECK_RUNS;
  const seed = options.seed ?? 1;
  const strategy = typeof options.strategy === 'string' ? { name: options.strategy } : (options.strategy ?? { name: 'random' as const });
  const report = await explore({
    spec,
    maxRuns: runs,
    seed,
    strategy,
    properties,
    maxShrinkAttempts: options.maxShrinkAttempts ?? DEFAULT_SIM_CHECK_SHRINK_ATTEMPTS,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  const { finding } = report;
  if (!finding) return { mode: 'explored', runsExecuted: report.runsExecuted };
  const where = `found in run ${finding.runIndex + 1} of at most ${runs} (seed ${seed}, strategy ${strategy.name})`;
  throw simPropertyError(finding.shrunk, finding.property, finding.replayToken, { where, rerun: rerunCommand(finding.replayToken, options.testFile) });
}

async function checkReplay(spec: RunSpec, token: string, properties: readonly PropertyName[]): Promise<SimCheckOutcome> {
  let request: ReplayRequest;
  try {
    request = readReplayToken(token);
  } catch (error) {
    throw new Error(`${SIM_REPLAY_VARIABLE} is not a replay token this build reads: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (specSummary(request.spec) !== specSummary(spec)) return { mode: 'not-this-spec', tokenSpec: specSummary(request.spec) };
  const result = await replay(request);
  const [property] = countedViolations(result, properties);
  if (property === undefined) return { mode: 'replayed', traceHash: result.traceHash };
  const replayToken = normaliseReplayToken(token);
  throw simPropertyError(result, property, replayToken, { where: `replayed from ${SIM_REPLAY_VARIABLE}, not explored`, rerun: rerunCommand(replayToken, undefined) });
}

/** `SIM_REPLAY=<token> npx vitest run FILE`: the test run on that one story. */
function rerunCommand(token: string, testFile: string | undefined): string {
  return `${SIM_REPLAY_VARIABLE}=${token} npx vitest run ${testFile ?? '<test file>'}`;
}
