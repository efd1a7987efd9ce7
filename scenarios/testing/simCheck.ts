import type { StrategyOptions } from '../../sim/strategies/createStrategy.ts';
import type { StrategyName } from '../../sim/strategies/SearchStrategy.ts';
import { propertyNames, type PropertyName } from '../../properties/index.ts';
import { describeConfig } from '../config/describeConfig.ts';
import { explore } from '../explore.ts';
import type { RunSpec } from '../index.ts';
import { readReplayToken, replay, type ReplayRequest } from '../replayTokens.ts';
import type { RunResult } from '../runScenario.ts';
import { countedViolations } from '../shrinkToProperty.ts';

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

/** A property failed: the message says which, how, and how to replay it. */
export class SimPropertyError extends Error {
  override name = 'SimPropertyError';

  constructor(
    message: string,
    readonly property: PropertyName,
    readonly replayToken: string,
    readonly traceHash: string,
  ) {
    super(message);
  }
}

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
  const where = `found in run #${finding.runIndex} of at most ${runs} (seed ${seed}, strategy ${strategy.name})`;
  throw failure(spec, finding.property, finding.shrunk, finding.replayToken, where, options.testFile);
}

async function checkReplay(spec: RunSpec, token: string, properties: readonly PropertyName[]): Promise<SimCheckOutcome> {
  let request: ReplayRequest;
  try {
    request = readReplayToken(token);
  } catch (error) {
    throw new Error(`${SIM_REPLAY_VARIABLE} is not a replay token this build reads: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (specKey(request.spec) !== specKey(spec)) return { mode: 'not-this-spec', tokenSpec: specKey(request.spec) };
  const result = await replay(request);
  const [property] = countedViolations(result, properties);
  if (property === undefined) return { mode: 'replayed', traceHash: result.traceHash };
  throw failure(spec, property, result, token, `replayed from ${SIM_REPLAY_VARIABLE}, not explored`, undefined);
}

/** Scenario, switches and fault kinds: what a token must share with a check to be replayed by it. */
function specKey(spec: RunSpec): string {
  return `${spec.scenario} · ${spec.runtime} · ${describeConfig(spec.config)} · faults: ${[...spec.faults].sort().join(',') || 'none'}`;
}

function failure(spec: RunSpec, property: PropertyName, story: RunResult, token: string, where: string, testFile: string | undefined): SimPropertyError {
  const violation = story.violations.find((candidate) => candidate.property === property)!;
  const lines = [
    `${property}: ${violation.message}`,
    `  ${specKey(spec)}; ${where}; the story: ${storySummary(story)}`,
    `  replay it:   npm run sim -- replay ${token}`,
    `  rerun this test on that story:   ${SIM_REPLAY_VARIABLE}=${token} npx vitest run ${testFile ?? '<test file>'}`,
    `  trace hash ${story.traceHash}`,
  ];
  return new SimPropertyError(lines.join('\n'), property, token, story.traceHash);
}

/** `42 steps, faults: redeploy ×1, preload-not-found ×1`. */
function storySummary(story: RunResult): string {
  const faults = new Map<string, number>();
  for (const event of story.events) {
    if (event.kind !== 'fault') continue;
    const kind = String(event.detail['kind']);
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  }
  const faultText = [...faults].map(([kind, count]) => `${kind} ×${count}`).join(', ') || 'none';
  return `${story.steps} steps, faults: ${faultText}`;
}
