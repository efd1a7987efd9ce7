/**
 * Runs per second of explore-style sweeps on one thread (`--workers 1`) and on a pool of worker threads
 * (`--workers K`, default 2), in one process: the daily-digest scenario with both fixes (wiring=retry
 * offset=durable) and the default faults, counting no property, so every sweep runs its whole budget.
 *
 * Each round measures both, one after the other (so a change in the machine's load hits both alike), on warmed-up
 * code: this thread after its warm-up runs, the pool after each worker ran its warm-up batch. Pool start-up (every
 * worker loads tsx and the simulator) is measured apart. Prints runs/s per round, the median ratio, and the load
 * average before and after: other work on the machine takes cores from the pool first. A calibration first runs a
 * plain CPU loop in 1 and in K threads: the ratio the machine gives right now to work that shares nothing, the
 * ceiling for the sweeps.
 *
 * Usage: npm run bench:workers [-- --runs N --rounds R --workers K]   (defaults: 300 runs, 4 rounds, 2 workers)
 */
import { loadavg, availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describeConfig } from '../scenarios/config/describeConfig.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { explore, type ExploreRequest } from '../scenarios/explore.ts';
import { workerPool } from '../scenarios/parallel/taskRunner.ts';
import { DEFAULT_FAULT_KINDS } from '../world/faults/FaultKind.ts';
import { parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const USAGE = `Usage: npm run bench:workers [-- --runs N --rounds R --workers K]   (defaults: 300 runs, 4 rounds, 2 workers)`;
const values = parseBenchArgs(USAGE, { options: { runs: { type: 'string', default: '300' }, rounds: { type: 'string', default: '4' }, workers: { type: 'string', default: '2' } } });
const runs = wholeNumberArg('runs', values.runs);
const rounds = wholeNumberArg('rounds', values.rounds);
const workers = wholeNumberArg('workers', values.workers);
/** Warm-up runs per thread: measured rounds kept rising until about 400 (the JIT of each worker warms up apart). */
const WARMUP_RUNS = 400;
/** Iterations of the calibration loop: about a second of one core. */
const SPIN_ITERATIONS = 400_000_000;

const spec = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'retry', offset: 'durable' }, faults: DEFAULT_FAULT_KINDS });
const config = spec.config;
const sweep = (maxRuns: number, seed: number): ExploreRequest => ({
  spec,
  maxRuns,
  seed,
  properties: [],
  maxShrinkAttempts: 0,
});

const load = (): string => loadavg().map((value) => value.toFixed(2)).join(', ');

async function runsPerSecond(request: ExploreRequest): Promise<number> {
  const started = performance.now();
  const report = await explore(request);
  const ms = performance.now() - started;
  if (report.runsExecuted !== request.maxRuns) throw new Error(`a sweep stopped after ${report.runsExecuted} of ${request.maxRuns} runs`);
  return (request.maxRuns * 1000) / ms;
}

console.log(`explore sweeps, daily-digest ${describeConfig(config)}, default faults, no property counted (node ${process.version})`);
console.log(`${runs} runs per measurement, ${rounds} rounds; ${availableParallelism()} cores; load average before: ${load()}`);

/** Wall time of `threads` threads each spinning the same CPU loop. */
async function spin(threads: number): Promise<number> {
  const code = `let x = 0; for (let i = 0; i < ${SPIN_ITERATIONS}; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);`;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: threads }, () => new Promise((resolve, reject) => new Worker(code, { eval: true }).once('message', resolve).once('error', reject))),
  );
  return performance.now() - started;
}
const spinOne = await spin(1);
const spinMany = await spin(workers);
console.log(
  `calibration, a plain CPU loop: ${workers} threads did ${workers}x the work of 1 in ${(spinMany / 1000).toFixed(2)} s vs ${(spinOne / 1000).toFixed(2)} s: ` +
    `${((workers * spinOne) / spinMany).toFixed(2)}x (the most any ${workers}-thread speed-up can be right now)`,
);

const startupBegan = performance.now();
const pool = workerPool(workers);
await explore({ ...sweep(WARMUP_RUNS * workers, 999), runner: pool });
const poolStartupMs = performance.now() - startupBegan;
await explore(sweep(WARMUP_RUNS, 999));

const ratios: number[] = [];
console.log(`${'round'.padEnd(6)} ${'--workers 1'.padStart(14)} ${`--workers ${workers}`.padStart(14)} ${'ratio'.padStart(7)}`);
for (let round = 1; round <= rounds; round += 1) {
  // Alternate which goes first, so a drift in the machine's load does not favour one.
  let one = 0;
  let many = 0;
  if (round % 2 === 1) {
    one = await runsPerSecond(sweep(runs, round));
    many = await runsPerSecond({ ...sweep(runs, round), runner: pool });
  } else {
    many = await runsPerSecond({ ...sweep(runs, round), runner: pool });
    one = await runsPerSecond(sweep(runs, round));
  }
  ratios.push(many / one);
  console.log(`${String(round).padEnd(6)} ${`${one.toFixed(1)} runs/s`.padStart(14)} ${`${many.toFixed(1)} runs/s`.padStart(14)} ${`${(many / one).toFixed(2)}x`.padStart(7)}`);
}
await pool.close();
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
console.log(`median ratio --workers ${workers} / --workers 1: ${median.toFixed(2)}x`);
console.log(`pool start-up and warm-up (${workers} workers, ${WARMUP_RUNS} runs each): ${(poolStartupMs / 1000).toFixed(1)} s`);
console.log(`load average after: ${load()}`);
