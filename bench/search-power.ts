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
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { sweep } from '../sim/explore/sweep.ts';
import { createStrategy } from '../sim/strategies/createStrategy.ts';
import type { StrategyName } from '../sim/strategies/SearchStrategy.ts';
import { resolveConfig } from '../runtime/config.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario, type RunResult } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS } from '../world/faults/FaultKind.ts';
import { fastCheckSchedulerProperty } from './baseline/fcSchedulerHarness.ts';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '50' }, 'max-runs': { type: 'string', default: '2000' }, 'rate-runs': { type: 'string', default: '500' } },
});
const seedCount = Number(values.seeds);
const maxRuns = Number(values['max-runs']);
const rateRuns = Number(values['rate-runs']);
const WARMUP_RUNS = 50;

const v04 = resolveConfig('v0.4', {});
const digestSpec: RunSpec = { scenario: 'daily-digest', config: v04, faults: [...DEFAULT_FAULT_KINDS] };
const minimalSpec: RunSpec = { scenario: 'minimal-digest', config: v04, faults: ['redeploy', 'preload-not-found', 'preload-foreign-item'] };
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

/** Throughput of a batch of runs: runs per second, and microseconds per scheduler step (runs differ in length). */
interface Rate {
  readonly runsPerSecond: number;
  readonly microsecondsPerStep: number;
}

async function ourRate(name: StrategyName): Promise<Rate> {
  let steps = 0;
  const go = (count: number, seed: number) =>
    sweep({
      maxRuns: count,
      strategy: createStrategy({ name, seed }),
      run: (choices) => runScenario(digestSpec, choices),
      isFinding: () => false,
      onRun: (_, result) => void (steps += result.steps),
    });
  await go(WARMUP_RUNS, 999);
  steps = 0;
  const started = performance.now();
  await go(rateRuns, 1);
  const elapsedMs = performance.now() - started;
  return { runsPerSecond: (rateRuns * 1000) / elapsedMs, microsecondsPerStep: (elapsedMs * 1000) / steps };
}

async function baselineRate(unbiased: boolean): Promise<Rate> {
  let steps = 0;
  const property = fastCheckSchedulerProperty(digestSpec, () => false, { unbiased, onRun: (result) => void (steps += result.steps) });
  await fc.check(property, { seed: 999, numRuns: WARMUP_RUNS });
  steps = 0;
  const started = performance.now();
  await fc.check(property, { seed: 1, numRuns: rateRuns });
  const elapsedMs = performance.now() - started;
  return { runsPerSecond: (rateRuns * 1000) / elapsedMs, microsecondsPerStep: (elapsedMs * 1000) / steps };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
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
  const sorted = samples.map((sample) => sample ?? Infinity).sort((a, b) => a - b);
  const found = samples.filter((sample) => sample !== undefined).length;
  return { name, found, tried: samples.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), rate };
}

const rows: Row[] = [];
async function baselineRow(name: string, unbiased: boolean): Promise<Row> {
  const samples: (number | undefined)[] = [];
  for (const seed of seeds) samples.push(await baselineRunsToDuplicate(seed, unbiased));
  return summarise(name, samples, await baselineRate(unbiased));
}
const baseline = await baselineRow('fc.scheduler harness (baseline)', false);
rows.push(baseline, await baselineRow('fc.scheduler harness, unbiased answers', true));
for (const name of ['random', 'pct', 'swarm'] as const) {
  const samples: (number | undefined)[] = [];
  for (const seed of seeds) samples.push(await runsToDuplicate(digestSpec, name, seed));
  rows.push(summarise(name, samples, await ourRate(name)));
}
rows.push(summarise('exhaustive (one deterministic search)', [await runsToDuplicate(digestSpec, 'exhaustive', 0)], undefined));
const minimalExhaustive = await runsToDuplicate(minimalSpec, 'exhaustive', 0);

const show = (value: number | undefined): string => (value === undefined ? '-' : Number.isFinite(value) ? String(value) : `>${maxRuns}`);
const ratio = (ours: number | undefined, theirs: number | undefined): string =>
  ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) ? '-' : `${(ours / theirs).toFixed(2)}x`;
console.log(`daily-digest, v0.4, default faults: runs to the first duplicate digest over ${seedCount} seeds (at most ${maxRuns} runs each);`);
console.log(`runs/s over ${rateRuns} runs after ${WARMUP_RUNS} warm-up runs (node ${process.version})`);
console.log(
  `${'strategy'.padEnd(40)} ${'found'.padStart(7)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'p90 vs fc'.padStart(10)} ` +
    `${'runs/s'.padStart(8)} ${'vs fc'.padStart(7)} ${'µs/step'.padStart(8)} ${'vs fc'.padStart(7)} ${'ms to first'.padStart(12)} ${'vs fc'.padStart(7)}`,
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
      `${ratio(rate?.microsecondsPerStep, baseline.rate?.microsecondsPerStep).padStart(7)} ` +
      `${(msToFirst(row) === undefined ? '-' : msToFirst(row)!.toFixed(0)).padStart(12)} ${ratio(msToFirst(row), msToFirst(baseline)).padStart(7)}`,
  );
}
console.log(`exhaustive on minimal-digest (one digest, one message, one redeploy, at most one preload failure): duplicate at run ${show(minimalExhaustive ?? Infinity)}`);
