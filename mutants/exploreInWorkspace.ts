import { spawn } from 'node:child_process';
import type { CiConfiguration, MutantStrategy } from './CiConfiguration.ts';

/** The budget and search of one exploration. */
export interface ExplorationBudget {
  readonly strategy: MutantStrategy;
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
export function exploreInWorkspace(root: string, ci: CiConfiguration, budget: ExplorationBudget, timeoutMs: number): Promise<ExplorationResult> {
  const args = [
    '--import',
    'tsx',
    'cli/main.ts',
    'explore',
    ...ci.args,
    '--property',
    ci.properties.join(','),
    '--strategy',
    budget.strategy,
    '--runs',
    String(budget.runs),
    '--seed',
    String(budget.seed),
    '--shrink-attempts',
    '0',
    '--json',
    '--no-progress',
  ];
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
      if (timedOut) return resolve({ kind: 'timeout', afterMs: timeoutMs });
      resolve(resultOf(exitCode, stdout, stderr));
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
