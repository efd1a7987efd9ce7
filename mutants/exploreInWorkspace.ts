import { spawn } from 'node:child_process';
import type { GuidedDraw } from '../sim/strategies/GuidedStrategy.ts';
import type { CiConfiguration, MutantStrategy } from './CiConfiguration.ts';

/** The budget and search of one exploration. */
export interface ExplorationBudget {
  readonly strategy: MutantStrategy;
  /** `--draw` of `--strategy guided`; absent, explore's default (swarm draws). */
  readonly draw?: GuidedDraw;
  readonly runs: number;
  readonly seed: number;
}

/** What one `explore` of a workspace answered. */
export type ExplorationResult =
  | { readonly kind: 'clean'; readonly runsExecuted: number }
  | { readonly kind: 'violation'; readonly property: string; readonly run: number; readonly token: string; readonly otherProperties: readonly string[] }
  /** The CLI refused or crashed (exit 2 or 3, or no JSON): for a mutant, most likely it does not load. */
  | { readonly kind: 'error'; readonly exitCode: number | null; readonly message: string }
  | { readonly kind: 'timeout'; readonly afterMs: number };

interface ExploreJson {
  readonly runsExecuted: number;
  readonly violations: readonly { readonly property: string; readonly run: number; readonly replay: string }[];
  readonly finding?: { readonly property: string; readonly run: number; readonly replay: string } | null;
}

/**
 * Runs the project's own CLI, `explore --json`, inside a workspace (so it loads that workspace's possibly mutated
 * sources), without shrinking: the run number and token of the first violation are what the mutant table needs, and
 * shrinking would cost more runs than the search. A real wall-clock timeout guards against a mutant that makes the
 * simulator itself loop; it lives outside the simulated run and does not touch its determinism.
 */
export function exploreInWorkspace(root: string, ci: CiConfiguration, budget: ExplorationBudget, timeoutMs: number, ignoredRuns: readonly number[] = []): Promise<ExplorationResult> {
  const args = exploreArgs(ci, budget, ignoreRunsArgs(ignoredRuns));
  return runCli(root, args, timeoutMs).then((ran) => (ran.kind === 'timeout' ? ran : resultOf(ran.exitCode, ran.stdout, ran.stderr)));
}

/** A run of the budget that violated a counted property. */
export interface FailingRun {
  readonly run: number;
  readonly properties: readonly string[];
  /** The properties with the causes their violations named (`concurrent-wake:lease-outlived`): what runs are compared by. */
  readonly kinds: readonly string[];
  readonly token: string;
}

/** Every run of an exploration's budget that violated a counted property (`explore --keep-going`). */
export type FailingRunsResult =
  | { readonly kind: 'measured'; readonly runsExecuted: number; readonly failingRuns: readonly FailingRun[] }
  | Extract<ExplorationResult, { kind: 'error' | 'timeout' }>;

/**
 * Explores the whole budget in a workspace, past every finding, and lists each run that violated a counted property
 * (`ignoredRuns` still run, but are not listed).
 */
export async function failingRunsInWorkspace(root: string, ci: CiConfiguration, budget: ExplorationBudget, timeoutMs: number, ignoredRuns: readonly number[] = []): Promise<FailingRunsResult> {
  const ran = await runCli(root, exploreArgs(ci, budget, ['--keep-going', ...ignoreRunsArgs(ignoredRuns)]), timeoutMs);
  if (ran.kind === 'timeout') return ran;
  if (ran.exitCode !== 0 && ran.exitCode !== 1) return { kind: 'error', exitCode: ran.exitCode, message: firstLine(ran.stderr) || firstLine(ran.stdout) || 'no output' };
  try {
    const report = JSON.parse(ran.stdout) as { runsExecuted: number; failingRuns: ReadonlyArray<{ run: number; properties: string[]; kinds?: string[]; replay: string }> };
    return { kind: 'measured', runsExecuted: report.runsExecuted, failingRuns: report.failingRuns.map((entry) => ({ run: entry.run, properties: entry.properties, kinds: entry.kinds ?? entry.properties, token: entry.replay })) };
  } catch {
    return { kind: 'error', exitCode: ran.exitCode, message: `not JSON: ${firstLine(ran.stdout)}` };
  }
}

function ignoreRunsArgs(ignoredRuns: readonly number[]): string[] {
  return ignoredRuns.length > 0 ? ['--ignore-runs', ignoredRuns.join(',')] : [];
}

/** `explore` of the CI configuration with the budget, unshrunk, as JSON, with `extra` options. */
function exploreArgs(ci: CiConfiguration, budget: ExplorationBudget, extra: readonly string[]): string[] {
  return [
    '--import',
    'tsx',
    'cli/main.ts',
    'explore',
    ...ci.args,
    '--property',
    ci.properties.join(','),
    '--strategy',
    budget.strategy,
    ...(budget.draw === undefined ? [] : ['--draw', budget.draw]),
    '--runs',
    String(budget.runs),
    '--seed',
    String(budget.seed),
    '--shrink-attempts',
    '0',
    ...extra,
    '--json',
    '--no-progress',
  ];
}

/** Whether a detection's token shows its property on the unmutated tree too (then the mutant did not cause it). */
export type ReplayCheck = { readonly kind: 'reproduces' | 'clean' } | { readonly kind: 'error'; readonly message: string };

/**
 * Replays `token` with the project's CLI inside a workspace (`replay TOKEN`, whose exit status says whether the
 * token's property is violated again: 1 yes, 0 no). Run on the unmutated tree, it tells whether a mutant's detection
 * needs the mutant: for `random` the runs before the baseline's first finding are the baseline's own clean runs, but a
 * `guided` search derives its later runs from what it covered, so a mutant's run k is no run the baseline made.
 */
export async function replayInWorkspace(root: string, token: string, timeoutMs: number): Promise<ReplayCheck> {
  const ran = await runCli(root, ['--import', 'tsx', 'cli/main.ts', 'replay', token, '--json'], timeoutMs);
  if (ran.kind === 'timeout') return { kind: 'error', message: `replay did not finish within ${Math.round(timeoutMs / 1000)} s` };
  if (ran.exitCode === 1) return { kind: 'reproduces' };
  if (ran.exitCode === 0) return { kind: 'clean' };
  return { kind: 'error', message: `replay failed (exit ${ran.exitCode ?? 'signal'}): ${firstLine(ran.stderr) || firstLine(ran.stdout) || 'no output'}` };
}

type CliRun = { readonly kind: 'exited'; readonly exitCode: number | null; readonly stdout: string; readonly stderr: string } | { readonly kind: 'timeout'; readonly afterMs: number };

/** Runs the project's CLI in `root` under a real wall-clock timeout (outside every simulated run). */
function runCli(root: string, args: readonly string[], timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(timedOut ? { kind: 'timeout', afterMs: timeoutMs } : { kind: 'exited', exitCode, stdout, stderr });
    });
  });
}

function resultOf(exitCode: number | null, stdout: string, stderr: string): ExplorationResult {
  if (exitCode !== 0 && exitCode !== 1) return { kind: 'error', exitCode, message: firstLine(stderr) || firstLine(stdout) || 'no output' };
  let report: ExploreJson;
  try {
    report = JSON.parse(stdout) as ExploreJson;
  } catch {
    return { kind: 'error', exitCode, message: `not JSON: ${firstLine(stdout)}` };
  }
  const finding = report.finding;
  if (!finding) return { kind: 'clean', runsExecuted: report.runsExecuted };
  const otherProperties = [...new Set(report.violations.map((violation) => violation.property))].filter((property) => property !== finding.property);
  return { kind: 'violation', property: finding.property, run: finding.run, token: finding.replay, otherProperties };
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
