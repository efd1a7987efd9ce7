import type { ChoiceSource } from '../sim/choice/ChoiceSource.ts';
import { PlannedChoiceSource } from '../sim/strategies/PlannedChoiceSource.ts';
import { CoverageTally } from '../sim/explore/CoverageTally.ts';
import { sweep } from '../sim/explore/sweep.ts';
import { runRange, ScaleOutError, type Shard } from '../sim/explore/runRange.ts';
import { scanGenerations } from '../sim/explore/scanGenerations.ts';
import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import { canSpreadRuns, type SearchStrategy, type StrategyFigures } from '../sim/strategies/SearchStrategy.ts';
import type { PropertyName } from '../properties/index.ts';
import { coverageKeysOf, FAULT_KEY_PREFIX, modelTransitionCoverage, modelTransitionKeys, type ModelTransitionCoverage } from './coverageKeys.ts';
import type { RunSpec } from './index.ts';
import { ANY_COUNTED } from './parallel/tasks.ts';
import { openTaskRunner, type TaskRunner } from './parallel/taskRunner.ts';
import { replayTokenFor } from './replayTokens.ts';
import { runScenario, type RunResult } from './runScenario.ts';
import { countedViolationKinds, countedViolations, shrinkToProperty, shrinkWhile, type ShrinkProgress } from './shrinkToProperty.ts';

export { countedViolations, shrinkToProperty } from './shrinkToProperty.ts';

/** Where a search stands, for progress displays. */
export interface SearchProgress {
  /** Runs executed so far (with workers, speculative runs past the first finding included). */
  readonly runsDone: number;
  /** Runs this search scans at most. */
  readonly budget: number;
  /** Runs so far that violated a counted property. */
  readonly findings: number;
  /** Transitions of the composed model the runs so far took (with workers, speculative runs included). */
  readonly modelTransitions: ModelTransitionCoverage;
  /** The strategy's own figures so far (the guided search's corpus). */
  readonly strategy: StrategyFigures;
}

/** What a search's runs reached: the runs up to and including the finding, or every run of the budget. */
export interface ExploreCoverage {
  readonly modelTransitions: ModelTransitionCoverage;
  /**
   * The first run index of each model transition taken, by coverage key. A shard reports it so that merging shards can
   * count what the unsharded search's runs up to its finding took.
   */
  readonly firstRuns: ReadonlyMap<string, number>;
  /**
   * The first run index in which each fault kind struck (a `fault` event of that kind was recorded). A kind asked for
   * that no run injected shows here as missing: the scenario may not inject it at all (docs/write-a-scenario.md).
   */
  readonly faultsStruck: ReadonlyMap<string, number>;
}

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
  /** Called after each run; only for runs in this thread without a shard (not with workers). */
  readonly onRun?: (runIndex: number, result: RunResult) => void;
  /**
   * Only the run indexes below `maxRuns` of this shard (run r belongs to shard (r mod count) + 1). The finding is the
   * shard's lowest; merging shards keeps the lowest overall, which is the unsharded finding.
   */
  readonly shard?: Shard;
  /** Worker threads to spread runs over (1, the default: this thread). The report is the same for any number. */
  readonly workers?: number;
  /** A runner to use instead of opening one for `workers` (it is left open; benchmarks reuse one). */
  readonly runner?: TaskRunner;
  /** Called as runs end (after each run in this thread, after each batch with workers). */
  readonly onProgress?: (progress: SearchProgress) => void;
  /**
   * A further condition on a finding, kept while shrinking: a run counts only when it violates a counted property
   * and `keep` holds for it (say, the story also contains a redeploy). A function cannot travel to a worker or a
   * shard: only for a search in this thread.
   */
  readonly keep?: (result: RunResult) => boolean;
  /** Called after each candidate run while the finding is shrunk. */
  readonly onShrinkProgress?: (progress: ShrinkProgress) => void;
  /**
   * Run indexes (0-based) whose violations do not count: known findings to look past, such as the runs in which the
   * unmutated runtime already fails (the mutant suite). They still run, so a strategy and the coverage see them as
   * any other. Only for a search in this thread, like `keep`.
   */
  readonly ignoredRuns?: ReadonlySet<number>;
  /**
   * Run the whole budget instead of stopping at the first finding, and list every run that is one
   * ({@link ExploreReport.failingRuns}); the first is shrunk as usual. Only for a search in this thread, like `keep`.
   */
  readonly keepGoing?: boolean;
}

/** A run of a search that kept going past its first finding and violated a counted property. */
export interface FailingRun {
  readonly runIndex: number;
  /** Its counted properties that were violated, in property order. */
  readonly properties: readonly PropertyName[];
  /** The same, with the causes the violations name ({@link countedViolationKinds}). */
  readonly kinds: readonly string[];
  /** Its answers, to replay it. */
  readonly choices: readonly number[];
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
  /**
   * Runs a sequential search executes: up to and including the finding, or the whole budget (of the shard's
   * indexes, with a shard). The same with any number of workers.
   */
  readonly runsExecuted: number;
  /** The strategy's own figures, e.g. schedules covered and whether a bound cut an exhaustive search. */
  readonly strategy: { readonly name: string; readonly exhausted: boolean; readonly figures: StrategyFigures };
  readonly coverage: ExploreCoverage;
  readonly finding: Finding | undefined;
  /** With `keepGoing`: every run of the budget that violated a counted property, in run order. */
  readonly failingRuns?: readonly FailingRun[];
}

/**
 * Default number of candidate runs the shrinker may try: enough for stories like the v0.4 duplicate to reach a local
 * minimum (seed 1 needs 1,824, about 5 s) rather than stop at the budget.
 */
export const DEFAULT_MAX_SHRINK_ATTEMPTS = 2_500;

/** Runs per batch handed to a worker at most: about a tenth of a second of work, little wasted past a finding. */
const MAX_BATCH_RUNS = 8;
/** Batches per slot of concurrency a range is cut into at least, so workers finish together. */
const MIN_BATCHES_PER_SLOT = 4;

/** Runs per batch for a range of `count` runs over `concurrency` slots. */
export function batchSizeFor(count: number, concurrency: number): number {
  return Math.max(1, Math.min(MAX_BATCH_RUNS, Math.ceil(count / (concurrency * MIN_BATCHES_PER_SLOT))));
}

/** Refuses to split the runs of a strategy that plans each run from the ones before it. */
export function assertSplittable(strategy: SearchStrategy, what: string): void {
  if (!canSpreadRuns(strategy)) {
    throw new ScaleOutError(`${what} needs a strategy whose runs are independent; ${strategy.name} plans each run from the ones before it`);
  }
}

/**
 * Sweeps seeded runs until one violates a counted property, then shrinks its choices while that property still
 * fails, and returns the shrunk run with the token that replays it.
 *
 * With a shard or several workers the runs are scanned in batches (scanRange): the finding is the lowest run index
 * that violated a counted property, whatever order batches end in, so the report is the one a sequential search
 * gives. The finding's run is then re-run here from its index and shrunk here, deterministically.
 */
export async function explore(request: ExploreRequest): Promise<ExploreReport> {
  const workers = request.runner?.workers ?? request.workers ?? 1;
  if (request.shard === undefined && workers <= 1 && request.runner === undefined) return exploreSequentially(request);
  const strategyOptions = { ...(request.strategy ?? { name: 'random' as const }), seed: request.seed };
  const strategy = createStrategy(strategyOptions);
  assertSplittable(strategy, request.shard ? 'sharding' : 'running on several workers');
  if (request.keep) throw new ScaleOutError('a search with a `keep` condition runs in this thread only (no shard, no workers)');
  if (request.ignoredRuns?.size) throw new ScaleOutError('a search that ignores runs runs in this thread only (no shard, no workers)');
  if (request.keepGoing) throw new ScaleOutError('a search that keeps going past its findings runs in this thread only (no shard, no workers)');
  const range = runRange(request.maxRuns, request.shard);
  const runner = request.runner ?? openTaskRunner(workers);
  const tally = new CoverageTally();
  let findings = 0;
  let runsDone = 0;
  let scan;
  try {
    scan = await scanGenerations({
      range,
      keys: [ANY_COUNTED],
      batchSize: batchSizeFor(range.count, runner.concurrency),
      concurrency: runner.concurrency,
      ...(strategy.generations ? { generations: strategy.generations } : {}),
      runBatch: (batch, plans) =>
        runner.run({ kind: 'scan', spec: request.spec, strategy: strategyOptions, batch, properties: request.properties, keys: 'any', coverage: true, ...(plans ? { plans } : {}) }),
      onBatch: (outcome) => {
        runsDone += outcome.runsDone;
        findings += outcome.hits.length;
        for (const run of outcome.runs ?? []) tally.add(run.runIndex, run.feedback.coverage);
        request.onProgress?.({ runsDone, budget: range.count, findings, modelTransitions: modelTransitionCoverage(tally.reachedUpTo()), strategy: strategy.figures() });
      },
    });
  } finally {
    // Closed before the finding is re-run here: no pool activity while a simulated run owns this thread's globals.
    if (request.runner === undefined) await runner.close();
  }
  const strategyReport = { name: strategy.name, exhausted: false, figures: strategy.figures() };
  const runIndex = scan.firsts.get(ANY_COUNTED);
  const coverage = coverageUpTo(tally, runIndex);
  if (runIndex === undefined) return { request, runsExecuted: scan.runsNeeded, strategy: strategyReport, coverage, finding: undefined };
  const plan = scan.plansOfFirsts.get(runIndex);
  const source = plan ? new PlannedChoiceSource(plan) : strategy.sourceForRun(runIndex)!;
  const original = await runScenario(request.spec, source);
  return { request, runsExecuted: scan.runsNeeded, strategy: strategyReport, coverage, finding: await shrinkFinding(request, runIndex, original) };
}

/** One run and the coverage keys it reached. */
interface CoveredRun {
  readonly result: RunResult;
  readonly coverage: readonly string[];
}

/** The search of one thread, run after run, for every strategy (an exhaustive one plans each run from the last). */
async function exploreSequentially(request: ExploreRequest): Promise<ExploreReport> {
  const run = async (choices: ChoiceSource): Promise<CoveredRun> => {
    const result = await runScenario(request.spec, choices);
    return { result, coverage: coverageKeysOf(result) };
  };
  const strategy = createStrategy({ ...(request.strategy ?? { name: 'random' }), seed: request.seed });
  const tally = new CoverageTally();
  let findings = 0;
  const isFinding = (result: RunResult, runIndex: number): boolean =>
    !(request.ignoredRuns?.has(runIndex) ?? false) && countedViolations(result, request.properties).length > 0 && (request.keep?.(result) ?? true);
  // Keeping going, only the first failing run's result is kept (to shrink it); the others' answers replay them.
  const failingRuns: FailingRun[] = [];
  let firstFailingResult: RunResult | undefined;
  const outcome = await sweep({
    maxRuns: request.maxRuns,
    strategy,
    run,
    feedbackOf: ({ coverage }) => ({ coverage }),
    // Keeping going, no run ends the sweep: each finding is noted as the run ends (onRun).
    isFinding: ({ result }, runIndex) => !request.keepGoing && isFinding(result, runIndex),
    onRun: (runIndex, { result, coverage }) => {
      if (request.keepGoing && isFinding(result, runIndex)) {
        failingRuns.push({ runIndex, properties: countedViolations(result, request.properties), kinds: countedViolationKinds(result, request.properties), choices: result.choices });
        firstFailingResult ??= result;
      }
      tally.add(runIndex, coverage);
      request.onRun?.(runIndex, result);
      if (request.onProgress) {
        if (isFinding(result, runIndex)) findings += 1;
        const modelTransitions = modelTransitionCoverage(tally.reachedUpTo());
        request.onProgress({ runsDone: runIndex + 1, budget: request.maxRuns, findings, modelTransitions, strategy: strategy.figures() });
      }
    },
  });
  const strategyReport = { name: strategy.name, exhausted: outcome.strategyExhausted, figures: strategy.figures() };
  const coverage = coverageUpTo(tally, undefined);
  if (request.keepGoing) {
    const finding = firstFailingResult ? await shrinkFinding(request, failingRuns[0]!.runIndex, firstFailingResult) : undefined;
    return { request, runsExecuted: outcome.runsExecuted, strategy: strategyReport, coverage, finding, failingRuns };
  }
  if (!outcome.finding) return { request, runsExecuted: outcome.runsExecuted, strategy: strategyReport, coverage, finding: undefined };
  return {
    request,
    runsExecuted: outcome.runsExecuted,
    strategy: strategyReport,
    coverage,
    finding: await shrinkFinding(request, outcome.finding.runIndex, outcome.finding.result.result),
  };
}

/** The coverage of the runs up to `lastRunIndex` (every run without one). */
function coverageUpTo(tally: CoverageTally, lastRunIndex: number | undefined): ExploreCoverage {
  const reached = tally.reachedUpTo(lastRunIndex);
  const firstRuns = new Map(modelTransitionKeys(reached).map((key) => [key, tally.firstRuns().get(key)!]));
  const faultsStruck = new Map(reached.filter((key) => key.startsWith(FAULT_KEY_PREFIX)).map((key) => [key.slice(FAULT_KEY_PREFIX.length), tally.firstRuns().get(key)!]));
  return { modelTransitions: modelTransitionCoverage(reached), firstRuns, faultsStruck };
}

/** Shrinks the run that was found to its first counted property (and the request's `keep` condition). */
async function shrinkFinding(request: ExploreRequest, runIndex: number, original: RunResult): Promise<Finding> {
  const property = countedViolations(original, request.properties)[0]!;
  const { keep } = request;
  const { shrink, shrunk } = keep
    ? await shrinkWhile(
        request.spec,
        original.choices,
        (result) => result.violations.some((violation) => violation.property === property) && keep(result),
        request.maxShrinkAttempts,
        request.onShrinkProgress,
      )
    : await shrinkToProperty(request.spec, original.choices, property, request.maxShrinkAttempts, request.onShrinkProgress);
  return {
    runIndex,
    property,
    original,
    shrunk,
    script: shrink.script,
    shrinkAttempts: shrink.attempts,
    shrunkToLocalMinimum: shrink.oneMinimal,
    replayToken: replayTokenFor(request.spec, shrink.script, property),
  };
}
