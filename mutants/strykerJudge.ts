/**
 * The command StrykerJS's command runner calls for each of its mutants (mutants/stryker.config.json), from the root of
 * Stryker's sandbox. It judges the mutant Stryker switched on by the rules of `npm run mutants` (docs/mutants.md, "How
 * it works"), where a bare `explore` would count every violation as a kill: the unmutated baseline's failing runs are
 * ignored, a property the baseline fails too counts only when the mutant fails it more often than chance explains, and
 * a detection counts only if its token replays clean on the unmutated tree. Without those rules a mutant that merely
 * shifts the runs' answers is "killed" by the catch-up entity's own skipped days (docs/history.md F1).
 *
 * Stryker switches its mutants on with the environment variable `__STRYKER_ACTIVE_MUTANT__`; the same sandbox without
 * it is the unmutated tree, so the baseline and the replay check run with it taken out. The baseline is measured once
 * per sandbox, budget and sources, and kept in the system's temporary folder.
 *
 * Exit 1 and one line for a detection (`detected: ...`) or a flag (`flagged: ...`: the rules could not judge it, which
 * Stryker also counts as a kill; docs/mutants.md counts them apart), 0 (`survived`) otherwise, 2 for a bad argument.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CI_CONFIGURATIONS } from './CiConfiguration.ts';
import { failingRunsInWorkspace, replayInWorkspace, type ExplorationBudget, type FailingRunsResult } from './exploreInWorkspace.ts';
import { wholeNumber } from './mutantsArgs.ts';
import { confirmDetection, type MutantVerdict } from './MutantVerdict.ts';
import { exploreMutant } from './runMutantSuite.ts';

const USAGE = 'usage: tsx mutants/strykerJudge.ts [--runs N] [--seed S] [--timeout SECONDS]';
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

async function main(argv: readonly string[]): Promise<number> {
  let budget: ExplorationBudget;
  let timeoutMs: number;
  try {
    const { values } = parseArgs({ args: [...argv], options: { runs: { type: 'string' }, seed: { type: 'string' }, timeout: { type: 'string' } }, strict: true });
    budget = { strategy: 'random', runs: wholeNumber(values.runs, '--runs', 300, 1, 3_000), seed: wholeNumber(values.seed, '--seed', 1, 0, 2 ** 31 - 1) };
    timeoutMs = wholeNumber(values.timeout, '--timeout', 300, 10, 3_600) * 1000;
  } catch (error) {
    process.stderr.write(`strykerJudge: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const root = process.cwd();
  const ci = CI_CONFIGURATIONS['v0.4'];
  const baseline = await unmutated(() => cachedBaseline(root, budget, () => failingRunsInWorkspace(root, ci, budget, timeoutMs)));
  let verdict: MutantVerdict = await exploreMutant(root, ci, budget, timeoutMs, baseline);
  if (verdict.kind === 'detected') {
    const detected = verdict;
    verdict = await confirmDetection(detected, (token) => unmutated(() => replayInWorkspace(root, token, timeoutMs)));
  }
  process.stdout.write(`${verdictLine(verdict)}\n`);
  return verdict.kind === 'survived' ? 0 : 1;
}

function verdictLine(verdict: MutantVerdict): string {
  switch (verdict.kind) {
    case 'detected':
      return `detected: ${verdict.property} at run ${verdict.run}${verdict.shared ? ` (${verdict.shared.mutantRuns} runs against the baseline's ${verdict.shared.baselineRuns})` : ''} ${verdict.token}`;
    case 'flagged':
      return `flagged: ${verdict.reason}`;
    case 'survived':
      return `survived${verdict.unseparated ? `: not told apart, ${verdict.unseparated.map((shared) => `${shared.property} ${shared.mutantRuns} runs against the baseline's ${shared.baselineRuns}`).join(', ')}` : ''}`;
  }
}

/** Runs `work` with Stryker's mutant switched off for the processes it starts (the environment is read at spawn). */
async function unmutated<T>(work: () => Promise<T>): Promise<T> {
  const active = process.env[ACTIVE_MUTANT];
  delete process.env[ACTIVE_MUTANT];
  try {
    return await work();
  } finally {
    if (active !== undefined) process.env[ACTIVE_MUTANT] = active;
  }
}

/** The folders whose sources a baseline depends on (the runtime, the world, the judges, the machinery). */
const SOURCE_FOLDERS = ['runtimes', 'world', 'properties', 'models', 'protocol', 'scenarios', 'sim', 'cli', 'mutants'];

/**
 * The baseline of this sandbox: read from the temporary folder when measured before for the same sandbox, budget and
 * sources (the runtime's are Stryker's instrumented ones: the same for every mutant of a run), measured and kept
 * otherwise.
 * Written whole under another name and renamed, so that two judges measuring at once never read half a file.
 */
async function cachedBaseline(root: string, budget: ExplorationBudget, measure: () => Promise<FailingRunsResult>): Promise<FailingRunsResult> {
  const key = createHash('sha256').update(JSON.stringify({ root, budget, ci: CI_CONFIGURATIONS['v0.4'] }));
  for (const folder of SOURCE_FOLDERS) for (const file of sourceFiles(join(root, folder))) key.update(file).update(readFileSync(file));
  const path = join(tmpdir(), `wake-sim-stryker-baseline-${key.digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FailingRunsResult;
  } catch {
    const baseline = await measure();
    // A baseline that could not be measured is not kept: the next judge tries again.
    if (baseline.kind === 'measured') {
      writeFileSync(`${path}.${process.pid}`, JSON.stringify(baseline));
      renameSync(`${path}.${process.pid}`, path);
    }
    return baseline;
  }
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

process.exitCode = await main(process.argv.slice(2));
