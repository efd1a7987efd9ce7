import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CI_CONFIGURATIONS, type CiConfiguration } from './CiConfiguration.ts';
import { exploreInWorkspace, failingRunsInWorkspace, replayInWorkspace, type ExplorationBudget, type FailingRunsResult } from './exploreInWorkspace.ts';
import type { Mutant, MutatedRuntime } from './Mutant.ts';
import { MutantNotApplicable } from './applyMutant.ts';
import { MutantTypechecker } from './MutantTypechecker.ts';
import { hasWorldCauses } from '../properties/index.ts';
import { baselineFails, confirmDetection, ignoredRunsOf, judgeByFailingRuns, judgeMutant, type MutantVerdict } from './MutantVerdict.ts';
import { MutantWorkspace } from './MutantWorkspace.ts';

/** One mutant's line of the table. */
export interface MutantOutcome {
  readonly mutant: Mutant;
  readonly verdict: MutantVerdict;
}

/** The unmutated runtime under the same configuration and budget. */
export interface BaselineOutcome {
  readonly runtime: MutatedRuntime;
  /**
   * The whole budget explored past every finding: each run it fails (with its properties and token), or why it could
   * not be measured. Every exploration of a mutant of this runtime ignores the runs it fails.
   */
  readonly result: FailingRunsResult;
}

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
 * Measures the unmutated baseline of each runtime the mutants touch over the whole budget, then plants each mutant in
 * a workspace and explores it with the same configuration, budget and seed, ignoring the runs the baseline fails: such
 * a run says nothing about a mutant (the catch-up entity's skipped day, docs/history.md F1, is one), while ignoring
 * a property from the baseline's first failing run on, as the suite once did, blinds every later run to it. A mutant
 * whose first finding is a property the baseline fails too is explored over the whole budget and detected only if it
 * fails that property more often than chance explains (judgeByFailingRuns): a mutant that shifts the runs' answers
 * meets the baseline's own failures in other runs. A mutant that does not compile is flagged before it is explored; a
 * detection whose token shows the same violation when replayed on the unmutated tree is flagged too.
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
      return { runtime, result: await failingRunsInWorkspace(workspace.root, CI_CONFIGURATIONS[runtime], request.budget, request.timeoutMs) };
    });
    const baselineOf = new Map(baselines.map((baseline) => [baseline.runtime, baseline.result]));
    const outcomes = await pool(request.mutants, workspaces, async (mutant, workspace) => {
      const outcome: MutantOutcome = { mutant, verdict: await verdictFor(mutant, workspace, typechecker, request, baselineOf.get(mutant.runtime)!) };
      request.onOutcome?.(outcome);
      return outcome;
    });
    return { budget: request.budget, baselines, outcomes, elapsedMs: performance.now() - startedAtMs };
  } finally {
    for (const workspace of workspaces) workspace.dispose();
  }
}

async function verdictFor(
  mutant: Mutant,
  workspace: MutantWorkspace,
  typechecker: MutantTypechecker,
  request: MutantSuiteRequest,
  baseline: FailingRunsResult,
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
    verdict = await exploreMutant(workspace.root, CI_CONFIGURATIONS[mutant.runtime], request.budget, request.timeoutMs, baseline);
  } finally {
    workspace.restore();
  }
  // A detection counts only if the unmutated tree, given the same answers, does not show it.
  if (verdict.kind !== 'detected') return verdict;
  return confirmDetection(verdict, (token) => replayInWorkspace(workspace.root, token, request.timeoutMs));
}

/**
 * Explores the mutated tree at `root` against the baseline, before the replay check: the runs the baseline fails are
 * ignored, and a first finding of a property the baseline fails too is no detection yet (only how often the mutant
 * fails it, over the whole budget, can tell it apart from the baseline). Shared with the Stryker judge.
 */
export async function exploreMutant(root: string, ci: CiConfiguration, budget: ExplorationBudget, timeoutMs: number, baseline: FailingRunsResult): Promise<MutantVerdict> {
  const ignoredRuns = ignoredRunsOf(baseline);
  const verdict = judgeMutant(await exploreInWorkspace(root, ci, budget, timeoutMs, ignoredRuns), baseline);
  // A property whose violations may be the world's doing (a cause in WORLD_CAUSES) is judged over the whole budget
  // too, even where the baseline never fails it: one run of a world cause detects nothing by itself.
  if (verdict.kind !== 'detected' || (!baselineFails(baseline, verdict.property) && !hasWorldCauses(verdict.property))) return verdict;
  return judgeByFailingRuns(await failingRunsInWorkspace(root, ci, budget, timeoutMs, ignoredRuns), baseline);
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
