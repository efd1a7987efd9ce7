/**
 * Search power against fast-check's own scheduler, on the same scenario and runtime (daily-digest, v0.4, default
 * faults), measured in one process:
 * - runs until the first v0.4 duplicate digest, over `--seeds` seeds (median, 90th percentile, seeds that found it
 *   within `--max-runs`), for each of our strategies and for a harness built on `fc.scheduler` (bench/baseline);
 *   the exhaustive strategy has no seed, so it is one deterministic search, shown on daily-digest and on
 *   minimal-digest;
 * - runs per second of each over `--rate-runs` runs that look for nothing (after a warm-up), the microseconds per
 *   scheduler step, and the ratios to the fast-check baseline. fast-check's arbitraries favour small values, which
 *   here means fewer faults and shorter runs; a second baseline row draws its answers without that bias (like ours),
 *   so that runs per second compare the machinery on stories of the same kind;
 * - the median wall time to the first duplicate (median runs / runs per second), the figure a user waits for.
 *
 * Usage: npm run bench:search [-- --seeds 50 --max-runs 2000 --rate-runs 500]
 */
import fc from 'fast-check';
import { sweep } from '../sim/explore/sweep.ts';
import { createStrategy } from '../sim/strategies/createStrategy.ts';
import type { StrategyName } from '../sim/strategies/SearchStrategy.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario, type RunResult } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS } from '../world/faults/FaultKind.ts';
import { fastCheckSchedulerProperty } from './baseline/fcSchedulerHarness.ts';
import { parseBenchArgs, wholeNumberArg } from './benchArgs.ts';
import { quantile } from './historyTable.ts';

const USAGE = `Usage: npm run bench:search [-- --seeds 50 --max-runs 2000 --rate-runs 500]`;
const values = parseBenchArgs(USAGE, {
  options: { seeds: { type: 'string', default: '50' }, 'max-runs': { type: 'string', default: '2000' }, 'rate-runs': { type: 'string', default: '500' } },
});
const seedCount = wholeNumberArg('seeds', values.seeds);
const maxRuns = wholeNumberArg('max-runs', values['max-runs']);
const rateRuns = wholeNumberArg('rate-runs', values['rate-runs']);
const WARMUP_RUNS = 50;

const digestSpec: RunSpec = runSpecFor({ scenario: 'daily-digest', faults: DEFAULT_FAULT_KINDS });
const minimalSpec: RunSpec = runSpecFor({ scenario: 'minimal-digest', faults: ['redeploy', 'preload-not-found', 'preload-foreign-item'] });
const isDuplicate = (result: RunResult): boolean => result.violations.some((violation) => violation.property === 'duplicate-action');
const seeds = Array.from({ length: seedCount }, (_, index) => index + 1);

/** Runs our strategy until the first duplicate; undefined when `maxRuns` pass without one. */
async function runsToDuplicate(spec: RunSpec, name: StrategyName, seed: number): Promise<number | undefined> {
  const outcome = await sweep({ maxRuns, strategy: createStrategy({ name, seed }), run: (choices) => runScenario(spec, choices), isFinding: isDuplicate });
  return outcome.finding ? outcome.finding.runIndex + 1 : undefined;
}

/** The same for the fast-check baseline: the run on which `fc.check` first saw the property fail. */
async function baselineRunsToDuplicate(seed: number, unbiased: boolean): Promise<number | undefined> {
  const details = await fc.check(fastCheckSchedulerProperty(digestSpec, isDuplicate, { unbiased }), { seed, numRuns: maxRuns, endOnFailure: true });
  return details.failed ? details.numRuns : undefined;
}

/** Throughput of a batch of runs: runs per second, microseconds per scheduler step, injected faults per run. */
interface Rate {
  readonly runsPerSecond: number;
  readonly microsecondsPerStep: number;
  readonly faultsPerRun: number;
}

/** What one batch of runs that look for nothing cost. */
interface BatchCost {
  readonly ms: number;
  readonly steps: number;
  readonly faults: number;
}

const faultsIn = (result: RunResult): number => result.events.filter((event) => event.kind === 'fault').length;

/** Runs `count` runs of our strategy from `seed`, finding nothing. */
async function ourBatch(name: StrategyName, count: number, seed: number): Promise<BatchCost> {
  let steps = 0;
  let faults = 0;
  const started = performance.now();
  await sweep({
    maxRuns: count,
    strategy: createStrategy({ name, seed }),
    run: (choices) => runScenario(digestSpec, choices),
    isFinding: () => false,
    onRun: (_, result) => {
      steps += result.steps;
      faults += faultsIn(result);
    },
  });
  return { ms: performance.now() - started, steps, faults };
}

/** The same for the fast-check harness. */
async function baselineBatch(unbiased: boolean, count: number, seed: number): Promise<BatchCost> {
  let steps = 0;
  let faults = 0;
  const onRun = (result: RunResult): void => {
    steps += result.steps;
    faults += faultsIn(result);
  };
  const started = performance.now();
  await fc.check(fastCheckSchedulerProperty(digestSpec, () => false, { unbiased, onRun }), { seed, numRuns: count });
  return { ms: performance.now() - started, steps, faults };
}

/** Rounds the rate measurement is split into, every contender measured once per round: load changes hit all alike. */
const RATE_ROUNDS = 5;

/**
 * Runs per second of every contender, measured in interleaved rounds after a warm-up of each, so that neither the
 * order of the rows nor a change in the machine's load favours one of them.
 */
async function measureRates(contenders: ReadonlyArray<(count: number, seed: number) => Promise<BatchCost>>): Promise<Rate[]> {
  for (const batch of contenders) await batch(WARMUP_RUNS, 999);
  const totals = contenders.map(() => ({ ms: 0, steps: 0, faults: 0, runs: 0 }));
  const perRound = Math.max(1, Math.round(rateRuns / RATE_ROUNDS));
  for (let round = 0; round < RATE_ROUNDS; round += 1) {
    for (const [index, batch] of contenders.entries()) {
      const cost = await batch(perRound, round + 1);
      const total = totals[index]!;
      total.ms += cost.ms;
      total.steps += cost.steps;
      total.faults += cost.faults;
      total.runs += perRound;
    }
  }
  return totals.map((total) => ({
    runsPerSecond: (total.runs * 1000) / total.ms,
    microsecondsPerStep: (total.ms * 1000) / total.steps,
    faultsPerRun: total.faults / total.runs,
  }));
}

interface Row {
  readonly name: string;
  readonly found: number;
  readonly tried: number;
  readonly median: number | undefined;
  readonly p90: number | undefined;
  readonly rate: Rate | undefined;
}

function summarise(name: string, samples: readonly (number | undefined)[], rate: Rate | undefined): Row {
  // A seed that never found it counts as more than the budget, so it pushes percentiles up rather than vanishing.
  const runs = samples.map((sample) => sample ?? Infinity);
  const found = samples.filter((sample) => sample !== undefined).length;
  return { name, found, tried: samples.length, median: quantile(runs, 0.5), p90: quantile(runs, 0.9), rate };
}

const OUR_STRATEGIES = ['random', 'pct', 'swarm'] as const;
const rates = await measureRates([
  (count, seed) => baselineBatch(false, count, seed),
  (count, seed) => baselineBatch(true, count, seed),
  ...OUR_STRATEGIES.map((name) => (count: number, seed: number) => ourBatch(name, count, seed)),
]);
const samplesOf = async (find: (seed: number) => Promise<number | undefined>): Promise<(number | undefined)[]> => {
  const samples: (number | undefined)[] = [];
  for (const seed of seeds) samples.push(await find(seed));
  return samples;
};
const baseline = summarise('fc.scheduler harness (baseline)', await samplesOf((seed) => baselineRunsToDuplicate(seed, false)), rates[0]);
const rows: Row[] = [baseline, summarise('fc.scheduler harness, unbiased answers', await samplesOf((seed) => baselineRunsToDuplicate(seed, true)), rates[1])];
for (const [index, name] of OUR_STRATEGIES.entries()) {
  rows.push(summarise(name, await samplesOf((seed) => runsToDuplicate(digestSpec, name, seed)), rates[index + 2]));
}
rows.push(summarise('exhaustive (one deterministic search)', [await runsToDuplicate(digestSpec, 'exhaustive', 0)], undefined));
const minimalExhaustive = await runsToDuplicate(minimalSpec, 'exhaustive', 0);

const show = (value: number | undefined): string => (value === undefined ? '-' : Number.isFinite(value) ? String(value) : `>${maxRuns}`);
const ratio = (ours: number | undefined, theirs: number | undefined): string =>
  ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) ? '-' : `${(ours / theirs).toFixed(2)}x`;
console.log(`daily-digest, v0.4, default faults: runs to the first duplicate digest over ${seedCount} seeds (at most ${maxRuns} runs each);`);
console.log(`runs/s over ${rateRuns} runs in ${RATE_ROUNDS} interleaved rounds, after ${WARMUP_RUNS} warm-up runs each (node ${process.version})`);
console.log(
  `${'strategy'.padEnd(40)} ${'found'.padStart(7)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'p90 vs fc'.padStart(10)} ` +
    `${'runs/s'.padStart(8)} ${'vs fc'.padStart(7)} ${'µs/step'.padStart(8)} ${'vs fc'.padStart(7)} ${'faults/run'.padStart(10)} ${'ms to first'.padStart(12)} ${'vs fc'.padStart(7)}`,
);
/** Median wall time to the first duplicate: median runs over runs per second. */
const msToFirst = (row: Row): number | undefined =>
  row.rate && row.median !== undefined && Number.isFinite(row.median) ? (row.median * 1000) / row.rate.runsPerSecond : undefined;
for (const row of rows) {
  const { rate } = row;
  console.log(
    `${row.name.padEnd(40)} ${`${row.found}/${row.tried}`.padStart(7)} ${show(row.median).padStart(7)} ${show(row.p90).padStart(7)} ` +
      `${ratio(row.p90, baseline.p90).padStart(10)} ${(rate ? rate.runsPerSecond.toFixed(0) : '-').padStart(8)} ` +
      `${ratio(rate?.runsPerSecond, baseline.rate?.runsPerSecond).padStart(7)} ${(rate ? rate.microsecondsPerStep.toFixed(1) : '-').padStart(8)} ` +
      `${ratio(rate?.microsecondsPerStep, baseline.rate?.microsecondsPerStep).padStart(7)} ${(rate ? rate.faultsPerRun.toFixed(2) : '-').padStart(10)} ` +
      `${(msToFirst(row) === undefined ? '-' : msToFirst(row)!.toFixed(0)).padStart(12)} ${ratio(msToFirst(row), msToFirst(baseline)).padStart(7)}`,
  );
}
console.log(`exhaustive on minimal-digest (one digest, one message, one redeploy, at most one preload failure): duplicate at run ${show(minimalExhaustive ?? Infinity)}`);
