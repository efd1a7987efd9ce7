import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CI_CONFIGURATIONS } from './CiConfiguration.ts';
import { exploreInWorkspace, replayInWorkspace, type ExplorationBudget, type ExplorationResult } from './exploreInWorkspace.ts';
import type { Mutant, MutatedRuntime } from './Mutant.ts';
import { MutantNotApplicable } from './applyMutant.ts';
import { MutantTypechecker } from './MutantTypechecker.ts';
import { baselineFailure, confirmDetection, judgeMutant, type BaselineFailure, type MutantVerdict } from './MutantVerdict.ts';
import { MutantWorkspace } from './MutantWorkspace.ts';

/** One mutant's line of the table. */
export interface MutantOutcome {
  readonly mutant: Mutant;
  readonly verdict: MutantVerdict;
}

/** A run in which the unmutated runtime already violates a counted property: no mutant is judged by it. */
export interface BaselineRun {
  readonly run: number;
  readonly property: string;
  readonly token: string;
}

/** The unmutated runtime under the same configuration and budget. */
export interface BaselineOutcome {
  readonly runtime: MutatedRuntime;
  /** The last exploration: the budget with {@link ignoredRuns} ignored. */
  readonly result: ExplorationResult;
  /** The runs the unmutated runtime fails, in run order; the mutants' explorations ignore them too. */
  readonly ignoredRuns: readonly BaselineRun[];
}

/**
 * Failing runs of the unmutated baseline the suite looks past at most. Each costs one more exploration of the
 * baseline; past this many the baseline counts as failing, and a mutant's violation of its property from its first
 * failing run on is flagged (judgeMutant).
 */
export const MAX_IGNORED_BASELINE_RUNS = 10;

/** Everything one `npm run mutants` found. */
export interface MutantSuiteReport {
  readonly budget: ExplorationBudget;
  readonly baselines: readonly BaselineOutcome[];
  readonly outcomes: readonly MutantOutcome[];
  readonly elapsedMs: number;
}

/** What the suite needs besides the mutants. */
export interface MutantSuiteRequest {
  readonly projectRoot: string;
  readonly mutants: readonly Mutant[];
  readonly budget: ExplorationBudget;
  /** How many explorations run at once, each in a workspace of its own. */
  readonly workers: number;
  /** Wall-clock limit of one exploration. */
  readonly timeoutMs: number;
  readonly onOutcome?: (outcome: MutantOutcome) => void;
}

/**
 * Measures the unmutated baseline of each runtime the mutants touch (the runs it fails are ignored from then on),
 * then plants each mutant in a workspace and explores it with the same configuration, budget, seed and ignored runs. A mutant that does not compile is flagged before it is
 * explored; a detection whose token shows the same violation when replayed on the unmutated tree is flagged too.
 * Outcomes come back in catalog order whatever order the workers finished in.
 */
export async function runMutantSuite(request: MutantSuiteRequest): Promise<MutantSuiteReport> {
  const startedAtMs = performance.now();
  const typechecker = new MutantTypechecker(request.projectRoot);
  const workspaces = Array.from({ length: Math.max(1, request.workers) }, () => MutantWorkspace.create(request.projectRoot));
  try {
    const runtimes = [...new Set(request.mutants.map((mutant) => mutant.runtime))];
    const baselines = await pool(runtimes, workspaces, async (runtime, workspace) => {
      workspace.restore();
      return measureBaseline(runtime, workspace, request);
    });
    const failing = new Map(baselines.map((baseline) => [baseline.runtime, baselineFailure(baseline.result)]));
    const ignored = new Map(baselines.map((baseline) => [baseline.runtime, baseline.ignoredRuns.map((run) => run.run)]));
    const outcomes = await pool(request.mutants, workspaces, async (mutant, workspace) => {
      const outcome: MutantOutcome = { mutant, verdict: await verdictFor(mutant, workspace, typechecker, request, failing.get(mutant.runtime), ignored.get(mutant.runtime) ?? []) };
      request.onOutcome?.(outcome);
      return outcome;
    });
    return { budget: request.budget, baselines, outcomes, elapsedMs: performance.now() - startedAtMs };
  } finally {
    for (const workspace of workspaces) workspace.dispose();
  }
}

/**
 * Explores the unmutated runtime; each run in which it violates a counted property is noted and ignored, and the
 * budget explored again, until it is clean or {@link MAX_IGNORED_BASELINE_RUNS} runs are ignored. A run the unmutated
 * runtime fails says nothing about a mutant (the catch-up entity's skipped day, docs/history.md F1, is one), while
 * ignoring the whole property after it, as the suite did before, would blind every later run to it.
 */
async function measureBaseline(runtime: MutatedRuntime, workspace: MutantWorkspace, request: MutantSuiteRequest): Promise<BaselineOutcome> {
  const ignoredRuns: BaselineRun[] = [];
  for (;;) {
    const ignoring = ignoredRuns.map((entry) => entry.run);
    const result = await exploreInWorkspace(workspace.root, CI_CONFIGURATIONS[runtime], request.budget, request.timeoutMs, ignoring);
    if (result.kind !== 'violation' || ignoredRuns.length >= MAX_IGNORED_BASELINE_RUNS) return { runtime, result, ignoredRuns };
    ignoredRuns.push({ run: result.run, property: result.property, token: result.token });
  }
}

async function verdictFor(
  mutant: Mutant,
  workspace: MutantWorkspace,
  typechecker: MutantTypechecker,
  request: MutantSuiteRequest,
  failing: BaselineFailure | undefined,
  ignoredRuns: readonly number[],
): Promise<MutantVerdict> {
  try {
    const compileError = typechecker.firstError(mutant, readFileSync(join(request.projectRoot, mutant.file), 'utf8'));
    if (compileError !== undefined) return { kind: 'flagged', reason: `does not compile: ${compileError}` };
    workspace.plant(mutant);
  } catch (error) {
    if (error instanceof MutantNotApplicable) return { kind: 'flagged', reason: error.message };
    throw error;
  }
  let verdict: MutantVerdict;
  try {
    verdict = judgeMutant(await exploreInWorkspace(workspace.root, CI_CONFIGURATIONS[mutant.runtime], request.budget, request.timeoutMs, ignoredRuns), failing);
  } finally {
    workspace.restore();
  }
  // A detection counts only if the unmutated tree, given the same answers, does not show it.
  if (verdict.kind !== 'detected') return verdict;
  return confirmDetection(verdict, await replayInWorkspace(workspace.root, verdict.token, request.timeoutMs));
}

/** Maps `items` over the workspaces, one item per free workspace at a time; results in the order of `items`. */
async function pool<T, R>(items: readonly T[], workspaces: readonly MutantWorkspace[], work: (item: T, workspace: MutantWorkspace) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    workspaces.map(async (workspace) => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index]!, workspace);
      }
    }),
  );
  return results;
}
