/**
 * The benchmark of the history (issue 14 item 4): for each entry of scenarios/history/historyEntries.ts, exploration
 * with the defect present (`--seeds` seeds, at most `--runs` runs each) and with it fixed (one seed, `--runs` runs),
 * per strategy, every property counted; then a fast-check scheduler harness baseline (bench/baseline) on the defect,
 * over the same seeds and budget. Prints a markdown table and the replay command of each row's story. Every verdict
 * comes from the exploration: a fixed value that still shows a violation prints its finding and token.
 *
 * Usage: npm run bench:history [-- --entries B3,B10 --seeds 10 --runs 2000 --strategies random,swarm,guided
 *        --workers 2 --shrink 500 --no-baseline]
 */
import fc from 'fast-check';
import { explore, type ExploreReport } from '../scenarios/explore.ts';
import { countedProperties, HISTORY_ENTRIES, historyEntry, historySpec, type HistoryEntry } from '../scenarios/history/historyEntries.ts';
import { inThisThread, workerPool, type TaskRunner } from '../scenarios/parallel/taskRunner.ts';
import type { RunResult } from '../scenarios/runScenario.ts';
import type { StrategyName } from '../sim/strategies/SearchStrategy.ts';
import { fastCheckSchedulerProperty } from './baseline/fcSchedulerHarness.ts';
import { describeFaults, historyTable, tokenList, type HistoryRow, type SeedOutcome } from './historyTable.ts';
import { fromArgs, listArg, parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const USAGE = `Usage: npm run bench:history [-- --entries B3,B10 --seeds 10 --runs 2000 --strategies random,swarm,guided
       --workers 2 --shrink 500 --no-baseline]`;
const values = parseBenchArgs(USAGE, {
  options: {
    entries: { type: 'string', default: HISTORY_ENTRIES.map((entry) => entry.id).join(',') },
    seeds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '2000' },
    strategies: { type: 'string', default: 'random,swarm,guided' },
    workers: { type: 'string', default: '1' },
    shrink: { type: 'string', default: '500' },
    'no-baseline': { type: 'boolean', default: false },
  },
});
const entries = fromArgs(() => values.entries.split(',').map((id) => historyEntry(id.trim())));
const seedCount = wholeNumberArg('seeds', values.seeds);
const maxRuns = wholeNumberArg('runs', values.runs);
const strategies = listArg<StrategyName>('strategies', values.strategies, ['random', 'pct', 'swarm', 'guided']);
const workers = wholeNumberArg('workers', values.workers);
/** Candidate runs the shrinker may try per finding: fewer than explore's default, as the bench shrinks many. */
const maxShrinkAttempts = wholeNumberArg('shrink', values.shrink, 0);
const seeds = Array.from({ length: seedCount }, (_, index) => index + 1);

const faultKindsOf = (result: RunResult): string[] => result.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));

function outcomeOf(seed: number, report: ExploreReport): SeedOutcome {
  const finding = report.finding;
  if (!finding) return { seed, runsToFinding: undefined, runsExecuted: report.runsExecuted };
  return {
    seed,
    runsToFinding: finding.runIndex + 1,
    runsExecuted: report.runsExecuted,
    property: finding.property,
    storySteps: finding.shrunk.steps,
    storyFaults: describeFaults(faultKindsOf(finding.shrunk)),
    replayToken: finding.replayToken,
  };
}

async function exploreRow(runner: TaskRunner, entry: HistoryEntry, value: string, strategy: StrategyName, rowSeeds: readonly number[]): Promise<HistoryRow> {
  const spec = historySpec(entry, value);
  const outcomes: SeedOutcome[] = [];
  for (const seed of rowSeeds) {
    const report = await explore({ spec, maxRuns, seed, strategy: { name: strategy }, properties: countedProperties(entry), maxShrinkAttempts, runner });
    outcomes.push(outcomeOf(seed, report));
    process.stderr.write(`  ${entry.id} ${entry.switchName}=${value} ${strategy} seed ${seed}: ${report.finding ? `${report.finding.property} at run ${report.finding.runIndex + 1}` : `clean in ${report.runsExecuted}`}\n`);
  }
  const label = value === entry.defect ? 'defect' : 'fixed';
  return { entry: entry.id, value: `${entry.switchName}=${value} (${label})`, strategy, maxRuns, outcomes };
}

/** The fast-check harness on the defect: the run on which `fc.check` first saw any property fail, per seed. */
async function baselineRow(entry: HistoryEntry): Promise<HistoryRow> {
  const spec = historySpec(entry, entry.defect);
  const properties = countedProperties(entry);
  const outcomes: SeedOutcome[] = [];
  for (const seed of seeds) {
    let violated: string | undefined;
    const isViolation = (result: RunResult): boolean => {
      const counted = result.violations.find((violation) => properties.includes(violation.property));
      if (counted && violated === undefined) violated = counted.property;
      return counted !== undefined;
    };
    const details = await fc.check(fastCheckSchedulerProperty(spec, isViolation), { seed, numRuns: maxRuns, endOnFailure: true });
    outcomes.push(details.failed ? { seed, runsToFinding: details.numRuns, runsExecuted: details.numRuns, ...(violated ? { property: violated } : {}) } : { seed, runsToFinding: undefined, runsExecuted: maxRuns });
    process.stderr.write(`  ${entry.id} fast-check baseline seed ${seed}: ${details.failed ? `failed at run ${details.numRuns}` : 'clean'}\n`);
  }
  return { entry: entry.id, value: `${entry.switchName}=${entry.defect} (defect)`, strategy: 'fast-check (baseline: fc.scheduler harness, no shrinking)', maxRuns, outcomes };
}

const runner = workers > 1 ? workerPool(workers) : inThisThread();
const started = performance.now();
const rows: HistoryRow[] = [];
try {
  for (const entry of entries) {
    process.stderr.write(`${entry.id}: ${entry.title}\n`);
    for (const strategy of strategies) rows.push(await exploreRow(runner, entry, entry.defect, strategy, seeds));
    for (const strategy of strategies) rows.push(await exploreRow(runner, entry, entry.fixed, strategy, [1]));
    if (!values['no-baseline']) rows.push(await baselineRow(entry));
  }
} finally {
  await runner.close();
}

const minutes = ((performance.now() - started) / 60_000).toFixed(1);
console.log(`History benchmark: ${entries.map((entry) => entry.id).join(', ')}; defect: ${seedCount} seeds of at most ${maxRuns} runs; fixed: seed 1, ${maxRuns} runs; every property counted unless the entry says otherwise; shrink budget ${maxShrinkAttempts} candidate runs; ${workers} worker thread(s); ${minutes} min wall time.`);
console.log('');
for (const entry of entries) {
  console.log(`- ${entry.id} (${entry.switchName}=${entry.defect} | ${entry.fixed}): ${entry.runtime}, preset ${entry.preset}${Object.keys(entry.switches).length ? ` with ${Object.entries(entry.switches).map(([name, value]) => `${name}=${value}`).join(' ')}` : ''}, faults ${entry.faults.join(',') || 'none'}${entry.counted ? `; counting ${entry.counted.join(', ')}` : ''}`);
}
console.log('');
console.log('"found": seeds whose exploration found a violation of any property within the budget (for a fixed value, seed 1 only). Median and p90 runs to the first finding are over the seeds that found one. The story is the shrunk run of the lowest seed that found one.');
console.log('');
console.log(historyTable(rows));
console.log('');
console.log('Replay tokens:');
console.log('');
console.log(tokenList(rows));
