/**
 * Coverage per search strategy (issue 15): how many of the composed model's transitions the runs of `random`, `pct`,
 * `swarm` and `guided` take on daily-digest with both fixes (`--wiring retry --offset durable`), with the default
 * faults and with every fault, after 500, 1,000 and 3,000 runs; the mean over `--seeds` seeds (and the range), and
 * the runs each strategy needs to take as many transitions as random took in all its runs on the same seed (median
 * over the seeds; ">N" when it never did). `guided-uniform` is the guided search drawing its fresh runs and tails
 * uniformly instead of the swarm way. Then runs to the first duplicate digest over `--dup-seeds` seeds, for random,
 * swarm and both guided variants, on v0.4 (`--dup-config v0.4`, the default) or with both fixes (`fixed`, where only
 * a long retry loop that outlives its lease posts twice).
 *
 * Each search runs in this thread, as `explore` runs it without workers (the guided search is the same for any
 * number of workers). Coverage is counted from `coverageKeysOf`, as `explore` reports it.
 *
 * `--config hardened` measures the coverage tables on the hardened preset instead of both fixes: the mutant suite's CI
 * configuration, whose mutants docs/mutants.md counts per strategy.
 *
 * Usage: npm run bench:coverage [-- --seeds 5 --first-seed 1 --runs 3000 --faults default|all --config fixed|hardened
 *        --strategies random,guided --dup-seeds 20 --dup-max-runs 2000 --dup-config v0.4|fixed
 *        --dup-strategies random,guided]
 */
import { CoverageTally } from '../sim/explore/CoverageTally.ts';
import { sweep } from '../sim/explore/sweep.ts';
import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import { DEFAULT_GUIDED_OPTIONS } from '../sim/strategies/GuidedStrategy.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { coverageKeysOf, modelTransitionCoverage } from '../scenarios/coverageKeys.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS, faultKinds } from '../world/faults/FaultKind.ts';
import { listArg, oneOfArg, parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const STRATEGY_ROWS = ['random', 'pct', 'swarm', 'guided', 'guided-uniform'] as const;
const USAGE = `Usage: npm run bench:coverage [-- --seeds 5 --first-seed 1 --runs 3000 --faults default|all
       --config fixed|hardened --strategies random,guided --dup-seeds 20 --dup-max-runs 2000 --dup-config v0.4|fixed
       --dup-strategies random,guided]
       --seeds 0 skips the coverage tables, --dup-seeds 0 the runs to the duplicate; --first-seed is the coverage
       tables' first seed (to split seeds over processes); strategies: ${STRATEGY_ROWS.join(', ')}`;
const values = parseBenchArgs(USAGE, {
  options: {
    seeds: { type: 'string', default: '5' },
    'first-seed': { type: 'string', default: '1' },
    runs: { type: 'string', default: '3000' },
    'dup-seeds': { type: 'string', default: '20' },
    'dup-max-runs': { type: 'string', default: '2000' },
    faults: { type: 'string' },
    config: { type: 'string', default: 'fixed' },
    strategies: { type: 'string', default: 'random,pct,swarm,guided,guided-uniform' },
    'dup-config': { type: 'string', default: 'v0.4' },
    'dup-strategies': { type: 'string', default: 'random,swarm,guided,guided-uniform' },
  },
});
// Every argument is checked here, before the first search: a mistake in the last one must not cost the whole run.
const seedCount = wholeNumberArg('seeds', values.seeds, 0);
const firstSeed = wholeNumberArg('first-seed', values['first-seed'], 0);
const seeds = Array.from({ length: seedCount }, (_, index) => firstSeed + index);
const maxRuns = wholeNumberArg('runs', values.runs);
const checkpoints = [500, 1_000, 3_000].filter((runs) => runs < maxRuns).concat(maxRuns);
const strategies = listArg('strategies', values.strategies, STRATEGY_ROWS);
const dupSeeds = wholeNumberArg('dup-seeds', values['dup-seeds'], 0);
const dupBudget = wholeNumberArg('dup-max-runs', values['dup-max-runs']);
const dupStrategies = listArg('dup-strategies', values['dup-strategies'], STRATEGY_ROWS);
const dupConfigName = oneOfArg('dup-config', values['dup-config'], ['v0.4', 'fixed'] as const);
const coverageConfig = oneOfArg('config', values.config, ['fixed', 'hardened'] as const);
const faultSets = values.faults === undefined ? ['default', 'all'] : [oneOfArg('faults', values.faults, ['default', 'all'] as const)];

/** The strategy a row of the table names. */
function strategyFor(row: string, seed: number): StrategyOptions {
  if (row === 'guided-uniform') return { name: 'guided', seed, guided: { ...DEFAULT_GUIDED_OPTIONS, draw: 'uniform' } };
  return { name: row as StrategyOptions['name'], seed };
}

const BOTH_FIXES = { wiring: 'retry', offset: 'durable' };
const specFor = (faults: string): RunSpec =>
  runSpecFor({
    scenario: 'daily-digest',
    ...(coverageConfig === 'hardened' ? { preset: 'hardened' } : { switches: BOTH_FIXES }),
    faults: faults === 'all' ? faultKinds().map((kind) => kind.name) : DEFAULT_FAULT_KINDS,
  });
const configLabel = coverageConfig === 'hardened' ? '--config hardened' : 'wiring=retry offset=durable';

/** Covered transitions after each run of one search (`covered[i]`: after i + 1 runs), and its runs per second. */
async function coverageCurve(spec: RunSpec, name: string, seed: number): Promise<{ covered: number[]; total: number; runsPerSecond: number }> {
  const tally = new CoverageTally();
  const covered: number[] = [];
  let taken = 0;
  const started = performance.now();
  await sweep({
    maxRuns,
    strategy: createStrategy(strategyFor(name, seed)),
    run: async (choices) => coverageKeysOf(await runScenario(spec, choices)),
    feedbackOf: (coverage) => ({ coverage }),
    isFinding: () => false,
    onRun: (runIndex, keys) => {
      const before = tally.firstRuns().size;
      tally.add(runIndex, keys);
      if (tally.firstRuns().size > before) taken = modelTransitionCoverage(tally.reachedUpTo()).covered;
      covered.push(taken);
    },
  });
  const runsPerSecond = (maxRuns * 1000) / (performance.now() - started);
  return { covered, total: modelTransitionCoverage([]).total, runsPerSecond };
}

const percent = (covered: number, total: number): string => `${((100 * covered) / total).toFixed(1)}`;
const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1]!;
/** A count of runs as a table shows it: ">budget" when the search never got there within its budget. */
const runsCell = (runs: number, budget: number): string => (Number.isFinite(runs) ? String(runs) : `>${budget}`);
/** Runs until a curve first reaches `target` transitions (1-based), Infinity when it never does. */
const runsToReach = (covered: readonly number[], target: number): number => {
  const index = covered.findIndex((count) => count >= target);
  return index < 0 ? Infinity : index + 1;
};

// --seeds 0 skips the coverage tables (only the runs to the duplicate).
for (const faults of seedCount > 0 ? faultSets : []) {
  const spec = specFor(faults);
  console.log(`\ndaily-digest, ${configLabel}, faults: ${faults} (${spec.faults.join(', ')}); ${seedCount} seed${seedCount === 1 ? '' : 's'} (${firstSeed}..${firstSeed + seedCount - 1})`);
  console.log(`model transitions taken: mean % of the composed model's [min..max transitions over the seeds]; runs to take as many as`);
  console.log(`random took in ${maxRuns} runs on the same seed (median, then each seed's); runs/s with coverage keys computed for every run`);
  console.log(`${'strategy'.padEnd(15)} ${checkpoints.map((runs) => `after ${runs}`.padStart(22)).join(' ')} ${`to random@${maxRuns}`.padStart(16)} ${'runs/s'.padStart(8)}`);
  const randomFinal: number[] = [];
  for (const name of strategies) {
    const curves: Array<Awaited<ReturnType<typeof coverageCurve>>> = [];
    for (const seed of seeds) curves.push(await coverageCurve(spec, name, seed));
    if (name === 'random') randomFinal.push(...curves.map((curve) => curve.covered[maxRuns - 1]!));
    const total = curves[0]!.total;
    const cells = checkpoints.map((runs) => {
      const at = curves.map((curve) => curve.covered[runs - 1]!);
      return `${percent(mean(at), total)} % [${Math.min(...at)}..${Math.max(...at)}/${total}]`.padStart(22);
    });
    const toRandomPerSeed = randomFinal.length === 0 ? [] : curves.map((curve, index) => runsToReach(curve.covered, randomFinal[index]!));
    const toRandomCell = toRandomPerSeed.length === 0 ? '-' : runsCell(median(toRandomPerSeed), maxRuns);
    const perSeed = toRandomPerSeed.length === 0 ? '' : `  per seed ${toRandomPerSeed.map((runs) => runsCell(runs, maxRuns)).join(' ')}`;
    console.log(`${name.padEnd(15)} ${cells.join(' ')} ${toRandomCell.padStart(16)} ${mean(curves.map((curve) => curve.runsPerSecond)).toFixed(0).padStart(8)}${perSeed}`);
  }
}

const dupConfig = dupConfigName === 'fixed' ? BOTH_FIXES : {};

/** Runs to the first duplicate digest under `dupConfig` (1-based), or undefined within the budget. */
async function runsToDuplicate(name: string, seed: number, budget: number): Promise<number | undefined> {
  const spec: RunSpec = runSpecFor({ scenario: 'daily-digest', switches: dupConfig, faults: DEFAULT_FAULT_KINDS });
  const outcome = await sweep({
    maxRuns: budget,
    strategy: createStrategy(strategyFor(name, seed)),
    run: async (choices) => {
      const result = await runScenario(spec, choices);
      return { duplicate: result.violations.some((violation) => violation.property === 'duplicate-action'), coverage: coverageKeysOf(result) };
    },
    feedbackOf: ({ coverage }) => ({ coverage }),
    isFinding: ({ duplicate }) => duplicate,
  });
  return outcome.finding ? outcome.finding.runIndex + 1 : undefined;
}

if (dupSeeds > 0) {
  const configName = dupConfigName === 'fixed' ? 'both fixes (retry / durable)' : 'v0.4 (swallow / minus-one)';
  console.log(`\n${configName}, default faults: runs to the first duplicate digest over seeds 1..${dupSeeds} (at most ${dupBudget} runs)`);
  console.log(`${'strategy'.padEnd(15)} ${'found'.padStart(7)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'max'.padStart(7)}  per seed`);
  for (const name of dupStrategies) {
    const samples: number[] = [];
    for (let seed = 1; seed <= dupSeeds; seed += 1) samples.push((await runsToDuplicate(name, seed, dupBudget)) ?? Infinity);
    const sorted = [...samples].sort((a, b) => a - b);
    const show = (runs: number): string => runsCell(runs, dupBudget);
    const at = (fraction: number): string => show(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!);
    const found = samples.filter(Number.isFinite).length;
    console.log(`${name.padEnd(15)} ${`${found}/${dupSeeds}`.padStart(7)} ${at(0.5).padStart(7)} ${at(0.9).padStart(7)} ${at(1).padStart(7)}  ${samples.map(show).join(' ')}`);
  }
}
