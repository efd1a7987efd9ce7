/**
 * Search power against the baseline a fast-check user would write without this tool (issue 16): the v0.4 runtime
 * driven by `fc.scheduler()` over hand-written in-memory fakes of the agents server, Durable Streams and the chat, with
 * a fake clock advanced under the scheduler's control (bench/baseline/fcNative; docs/search-power-native.md). For each
 * seed, runs and wall time until the first duplicate post, for two timer policies of the baseline (`recipe`,
 * fast-check's documented recipe for native timers; `idle`, time moves only when no request is in flight) and for our
 * default random strategy on the same configuration (daily-digest, v0.4, the report's faults), each measured in the
 * same process, seed after seed, so that load falls on all of them. Then, on the fix configuration (`wiring=retry
 * offset=durable`), whether each finds a duplicate at all: a baseline that "finds" one there is not finding the report's
 * defects.
 *
 * Usage: npm run bench:search-native [-- --seeds 50 --max-runs 2000 --fix-seeds 5 --fix-runs 500]
 */
import { sweep } from '../sim/explore/sweep.ts';
import { createStrategy } from '../sim/strategies/createStrategy.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario, type RunResult } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS } from '../world/faults/FaultKind.ts';
import { v04Runtime } from '../runtimes/v04/v04Runtime.ts';
import { nativeRunsToDuplicate, v04NativeSetup } from './baseline/fcNative/nativeProperty.ts';
import type { NativeOutcome, TimerPolicy } from './baseline/fcNative/runNativeStory.ts';
import { parseBenchArgs, wholeNumberArg } from './benchArgs.ts';
import { quantile } from './historyTable.ts';

const USAGE = 'Usage: npm run bench:search-native [-- --seeds 50 --max-runs 2000 --fix-seeds 5 --fix-runs 500]';
const values = parseBenchArgs(USAGE, {
  options: {
    seeds: { type: 'string', default: '50' },
    'max-runs': { type: 'string', default: '2000' },
    'fix-seeds': { type: 'string', default: '5' },
    'fix-runs': { type: 'string', default: '500' },
  },
});
const seedCount = wholeNumberArg('seeds', values.seeds);
const maxRuns = wholeNumberArg('max-runs', values['max-runs']);
const fixSeeds = wholeNumberArg('fix-seeds', values['fix-seeds'], 0);
const fixRuns = wholeNumberArg('fix-runs', values['fix-runs']);

const FIX = { wiring: 'retry', offset: 'durable' } as const;
const specFor = (switches: Readonly<Record<string, string>>): RunSpec => runSpecFor({ scenario: 'daily-digest', switches, faults: DEFAULT_FAULT_KINDS });

/** The baseline gets the runtime switches our run spec resolves, or the bench refuses to compare them. */
function assertSameRuntimeConfig(spec: RunSpec, native: Readonly<Record<string, string>>): void {
  for (const definition of v04Runtime.switches) {
    if (spec.config[definition.name] !== native[definition.name]) throw new Error(`switch ${definition.name}: ours ${spec.config[definition.name]}, baseline ${native[definition.name]}`);
  }
}

/** Runs to the first duplicate (undefined: none within the budget), the wall time spent, and what was posted twice. */
interface Sample {
  readonly runs: number | undefined;
  readonly ms: number;
  readonly duplicate: string;
}

async function nativeSample(timers: TimerPolicy, switches: Readonly<Record<string, string>>, seed: number, maxRuns: number): Promise<Sample> {
  const setup = v04NativeSetup(timers, switches);
  assertSameRuntimeConfig(specFor(switches), setup.config);
  let last: NativeOutcome | undefined;
  const started = performance.now();
  const runs = await nativeRunsToDuplicate(setup, seed, maxRuns, (outcome) => (last = outcome));
  const ms = performance.now() - started;
  return { runs, ms, duplicate: runs === undefined ? '-' : (last?.duplicates.join(' ') ?? '?') };
}

const duplicateOf = (result: RunResult): string | undefined => result.violations.find((violation) => violation.property === 'duplicate-action')?.message.split(' ')[1];

async function ourSample(switches: Readonly<Record<string, string>>, seed: number, maxRuns: number): Promise<Sample> {
  const spec = specFor(switches);
  const started = performance.now();
  const outcome = await sweep({ maxRuns, strategy: createStrategy({ name: 'random', seed }), run: (choices) => runScenario(spec, choices), isFinding: (result) => duplicateOf(result) !== undefined });
  const ms = performance.now() - started;
  return { runs: outcome.finding ? outcome.finding.runIndex + 1 : undefined, ms, duplicate: outcome.finding ? (duplicateOf(outcome.finding.result) ?? '?') : '-' };
}

const CONTENDERS = [
  { name: 'fc.scheduler, timers by the recipe', sample: (switches: Readonly<Record<string, string>>, seed: number, maxRuns: number) => nativeSample('recipe', switches, seed, maxRuns) },
  { name: 'fc.scheduler, timers when idle', sample: (switches: Readonly<Record<string, string>>, seed: number, maxRuns: number) => nativeSample('idle', switches, seed, maxRuns) },
  { name: 'ours: random', sample: ourSample },
] as const;

/** A seed that found nothing counts as more than any that did: it pushes percentiles up instead of vanishing. */
function summary(samples: readonly Sample[]): { found: number; medianRuns: number; p90Runs: number; medianMs: number; p90Ms: number } {
  const runs = samples.map((sample) => sample.runs ?? Infinity);
  const ms = samples.map((sample) => (sample.runs === undefined ? Infinity : sample.ms));
  // Never empty: --seeds is at least 1.
  return { found: samples.filter((sample) => sample.runs !== undefined).length, medianRuns: quantile(runs, 0.5)!, p90Runs: quantile(runs, 0.9)!, medianMs: quantile(ms, 0.5)!, p90Ms: quantile(ms, 0.9)! };
}

const showRuns = (runs: number | undefined, maxRuns: number): string => (runs === undefined || !Number.isFinite(runs) ? `>${maxRuns}` : String(runs));
const showMs = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(0) : '-');
const ratio = (ours: number, theirs: number): string => (Number.isFinite(ours) && Number.isFinite(theirs) && theirs > 0 ? `${(ours / theirs).toFixed(2)}x` : '-');

const benchStarted = performance.now();
// Warm-up, not counted: every contender's code compiled before the first measured seed.
for (const contender of CONTENDERS) await contender.sample({}, 999, 20);
console.log(`daily-digest, v0.4 (${Object.entries(specFor({}).config).filter(([name]) => ['wiring', 'offset', 'idempotency'].includes(name)).map(([name, value]) => `${name}=${value}`).join(' ')}), faults ${DEFAULT_FAULT_KINDS.join(',')}`);
console.log(`runs and wall ms to the first duplicate post, per seed (at most ${maxRuns} runs; node ${process.version})`);
console.log(['seed', ...CONTENDERS.flatMap((_, index) => [`runs${index + 1}`, `ms${index + 1}`, `posted twice${index + 1}`])].join('\t'));
const samples: Sample[][] = CONTENDERS.map(() => []);
for (let seed = 1; seed <= seedCount; seed += 1) {
  const row: string[] = [String(seed)];
  for (const [index, contender] of CONTENDERS.entries()) {
    const sample = await contender.sample({}, seed, maxRuns);
    samples[index]!.push(sample);
    row.push(showRuns(sample.runs, maxRuns), showMs(sample.ms), sample.duplicate);
  }
  console.log(row.join('\t'));
}
console.log('');
CONTENDERS.forEach((contender, index) => console.log(`${index + 1}: ${contender.name}`));
console.log('');
const ours = summary(samples[CONTENDERS.length - 1]!);
console.log('found: seeds with a duplicate within the budget (of which the first duplicate run posted a digest twice); ours÷it: ours over the row, below 1 when ours needs less');
console.log(`${'contender'.padEnd(36)} ${'found'.padStart(7)} ${'digest'.padStart(7)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'median ms'.padStart(10)} ${'p90 ms'.padStart(8)} ${'ours÷it runs (median / p90)'.padStart(28)} ${'ours÷it median ms'.padStart(18)}`);
for (const [index, contender] of CONTENDERS.entries()) {
  const row = summary(samples[index]!);
  console.log(
    `${contender.name.padEnd(36)} ${`${row.found}/${seedCount}`.padStart(7)} ${String(samples[index]!.filter((sample) => /digest:/.test(sample.duplicate)).length).padStart(7)} ` +
      `${showRuns(row.medianRuns, maxRuns).padStart(7)} ${showRuns(row.p90Runs, maxRuns).padStart(7)} ` +
      `${showMs(row.medianMs).padStart(10)} ${showMs(row.p90Ms).padStart(8)} ${`${ratio(ours.medianRuns, row.medianRuns)} / ${ratio(ours.p90Runs, row.p90Runs)}`.padStart(28)} ${ratio(ours.medianMs, row.medianMs).padStart(18)}`,
  );
}

// Determinism: the first seed again gives the same runs-to-first for every contender.
const repeat: string[] = [];
for (const [index, contender] of CONTENDERS.entries()) {
  const second = await contender.sample({}, 1, maxRuns);
  const first = samples[index]![0]!;
  if (second.runs !== first.runs) throw new Error(`${contender.name}, seed 1: runs to the first duplicate ${first.runs} then ${second.runs}`);
  repeat.push(showRuns(second.runs, maxRuns));
}
console.log(`determinism: seed 1 again gives the same runs to the first duplicate (${repeat.join(', ')})`);

if (fixSeeds > 0) {
  console.log('');
  console.log(`fix configuration (wiring=${FIX.wiring} offset=${FIX.offset}): runs to the first duplicate post, seeds 1-${fixSeeds}, at most ${fixRuns} runs`);
  for (const contender of CONTENDERS) {
    const found: string[] = [];
    for (let seed = 1; seed <= fixSeeds; seed += 1) {
      const sample = await contender.sample(FIX, seed, fixRuns);
      found.push(sample.runs === undefined ? `>${fixRuns}` : `${sample.runs} (${sample.duplicate})`);
    }
    console.log(`  ${contender.name.padEnd(36)} ${found.join(', ')}`);
  }
}
console.log('');
console.log(`bench wall time ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
