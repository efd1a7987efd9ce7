/**
 * Throughput of `explore`'s sweep (seeded runs, no shrinking) on the daily-digest scenario, every figure a ratio
 * measured in this process, so that it means the same on a loaded machine:
 *
 * - per row: runs/s, steps per run, µs per step and that cost over the drain hop (the macrotask hop each step needs,
 *   measured just before the row), and simulated time per wall time;
 * - the rows of the earlier bench (v0.4 without faults, v0.4 and wiring=retry offset=durable with the default faults,
 *   the library tier, fast-check generating the choices), each also against the fast path of its configuration;
 *   rows compared with each other are measured together, taking turns in chunks of 25 runs;
 * - conformance priced: the same sweep without following the composed model, and without judging the properties
 *   either (the world, the runtime, the kernel and the trace alone); from these and the drain hop, where the row's
 *   time goes and the most that making the models and properties cheaper could give; and the promises a run makes,
 *   with what a promise costs in this process;
 * - the wire path (`transport=fetch`: the runtime's requests as WHATWG fetch) against the fast path;
 * - memory: RSS and used heap after each tenth of a longer sweep;
 * - with `--against DIR`, this checkout against another one (an older revision, say) in the same process: the same
 *   runs of both, taking turns, so the ratio of two revisions is measured as truly as the ratio of two rows.
 *
 * Usage: npm run bench [-- --runs N --warmup W --sweep-runs S --against DIR]
 *   (defaults: 1000 timed runs per row after 100 warm-up runs; a memory sweep of 3000 runs; `node --expose-gc`
 *   makes the memory figures collect first)
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { choiceSequence } from '../sim/choice/choiceSequenceArbitrary.ts';
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { RandomStrategy } from '../sim/strategies/RandomStrategy.ts';
import { describeConfig } from '../scenarios/config/describeConfig.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { SwitchValues } from '../scenarios/config/SwitchValues.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../world/faults/FaultKind.ts';
import { measureDrainHopMicroseconds } from './throughput/measureDrainHop.ts';
import { memorySweep } from './throughput/memorySweep.ts';
import { promiseNanoseconds, promisesPerRun } from './throughput/measurePromises.ts';
import { measureSweeps, TURN_RUNS, type SweepCase, type SweepFigures } from './throughput/measureSweep.ts';
import { fromArgsAsync, parseBenchArgs, wholeNumberArg } from './benchArgs.ts';
import { compareCheckouts, loadCheckout, type CheckoutSweep } from './throughput/compareCheckouts.ts';

const USAGE = `Usage: npm run bench [-- --runs N --warmup W --sweep-runs S --against DIR]
       (defaults: 1000 timed runs per row after 100 warm-up runs; a memory sweep of 3000 runs; \`node --expose-gc\`
       makes the memory figures collect first)
  --against DIR   also time this checkout against the checkout in DIR (another revision of this project, its
                  node_modules installed or linked), the same runs taking turns in this process, on v0.4 and on
                  wiring=retry offset=durable with the default faults; e.g. git worktree add ../before <revision>`;
const values = parseBenchArgs(USAGE, {
  options: {
    runs: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '100' },
    'sweep-runs': { type: 'string', default: '3000' },
    against: { type: 'string' },
  },
});
const runs = wholeNumberArg('runs', values.runs);
const warmupRuns = wholeNumberArg('warmup', values.warmup, 0);
const sweepRuns = wholeNumberArg('sweep-runs', values['sweep-runs'], 0);

interface Row extends SweepFigures {
  readonly name: string;
  readonly hopMicroseconds: number;
  /** The row this one is compared with, by name, and the ratio of their runs/s. */
  readonly against?: { readonly name: string; readonly ratio: number };
}

const specOf = (switches: SwitchValues, faults: readonly FaultKind[]): RunSpec => runSpecFor({ scenario: 'daily-digest', switches, faults });

/**
 * Rows for cases measured together (taking turns, see {@link measureSweeps}); each row after the first is compared
 * with the first. The drain hop is measured just before.
 */
async function sweepRows(rows: ReadonlyArray<{ readonly name: string } & SweepCase>): Promise<Row[]> {
  const hopMicroseconds = await measureDrainHopMicroseconds();
  const figures = await measureSweeps(rows, { runs, warmupRuns });
  const measured = rows.map((row, index): Row => ({ name: row.name, hopMicroseconds, ...figures[index]! }));
  return measured.map((row, index) => (index === 0 ? row : against(row, measured[0]!)));
}

/**
 * fast-check generating the choices of `spec`'s runs (`fc.check` over {@link choiceSequence}), against `reference`'s
 * name and explore's own sweep of `spec` timed in turns with it, {@link TURN_RUNS} runs each (a chunk of fast-check's
 * runs is one `fc.check` of its own seed): timed apart, as rows of different groups are, the ratio of two runs/s would
 * carry the machine's load between them.
 */
async function fastCheckRow(name: string, reference: Row, spec: RunSpec): Promise<Row> {
  const hopMicroseconds = await measureDrainHopMicroseconds();
  let steps = 0;
  let simulatedMs = 0;
  const property = fc.asyncProperty(choiceSequence(), async (choices) => {
    const result = await runScenario(spec, new RecordedChoiceSource(choices));
    steps += result.steps;
    simulatedMs += result.endMs;
    return true;
  });
  await fc.check(property, { numRuns: warmupRuns, seed: 999 });
  steps = 0;
  simulatedMs = 0;
  const exploreRuns = new RandomStrategy(1);
  let fastCheckMs = 0;
  let exploreMs = 0;
  for (let from = 0, chunk = 1; from < runs; from += TURN_RUNS, chunk += 1) {
    const to = Math.min(runs, from + TURN_RUNS);
    let started = performance.now();
    for (let runIndex = from; runIndex < to; runIndex += 1) await runScenario(spec, exploreRuns.sourceForRun(runIndex));
    exploreMs += performance.now() - started;
    started = performance.now();
    await fc.check(property, { numRuns: to - from, seed: chunk });
    fastCheckMs += performance.now() - started;
  }
  const row: Row = { name, hopMicroseconds, runsPerSecond: (runs * 1000) / fastCheckMs, stepsPerRun: steps / runs, microsecondsPerStep: (fastCheckMs * 1000) / steps, simulatedPerWall: simulatedMs / fastCheckMs };
  return { ...row, against: { name: reference.name, ratio: exploreMs / fastCheckMs } };
}

/** This checkout and the one in `dir`, loaded for each compared configuration (v0.4, then the fixes). */
async function loadComparisons(dir: string): Promise<Array<{ readonly name: string; readonly here: CheckoutSweep; readonly there: CheckoutSweep }>> {
  const thisCheckout = fileURLToPath(new URL('..', import.meta.url));
  const loaded = [];
  for (const switches of [v04, fixed]) {
    const configuration = { switches, faults: DEFAULT_FAULT_KINDS };
    loaded.push({ name: `explore ${describeConfig(switches)}`, here: await loadCheckout(thisCheckout, configuration), there: await loadCheckout(dir, configuration) });
  }
  return loaded;
}

/** The fixes' row and the two that price its machinery, measured together. */
interface PricedRows {
  readonly full: Row;
  readonly withoutConformance: Row;
  /** Neither conformance nor properties: the world, the runtime, the kernel and the trace. */
  readonly alone: Row;
}

/**
 * Where the fixes' row spends a run, from its rows measured together: following the model (the row without
 * conformance subtracted), judging the properties (the row without either subtracted from the one without
 * conformance), the drain hops (steps a run times the hop measured before the rows), and the rest: the world, the
 * runtime, the kernel and the trace. The ceiling is what machinery that cost nothing would give: the row without
 * either. Shares are rounded to whole percents and the rest is what they leave, so the four add up to 100.
 */
function timeSplit({ full, withoutConformance, alone }: PricedRows): string {
  const runMs = 1000 / full.runsPerSecond;
  const percent = (share: number): number => Math.round(share * 100);
  const model = percent(1 - full.runsPerSecond / withoutConformance.runsPerSecond);
  const properties = percent(full.runsPerSecond / withoutConformance.runsPerSecond - full.runsPerSecond / alone.runsPerSecond);
  const hops = percent((full.stepsPerRun * full.hopMicroseconds) / (runMs * 1000));
  // A share below zero is the machine's noise outweighing what the rows differ by: too few runs to split a run.
  const noisy = model < 0 || properties < 0 ? [`(a share below zero: the noise of ${runs} ${runs === 1 ? 'run' : 'runs'} a row outweighs the differences; take more runs)`] : [];
  return [
    `where a run of ${full.name.trim()} (${runMs.toFixed(1)} ms) goes: following the model ${model} %, judging the properties ${properties} %,`,
    `the drain hops about ${hops} %, the rest (world, runtime, kernel and trace) ${100 - model - properties - hops} %;`,
    `model and properties at no cost would give ${(alone.runsPerSecond / full.runsPerSecond).toFixed(2)}x its runs/s`,
    ...noisy,
  ].join('\n');
}

/**
 * What the promises of a run of `row` (a run of `spec`) cost: how many it makes (counted over 100 runs) times what a
 * promise costs in this process now. About what a runtime, world and kernel written with fewer `async` layers could
 * save at most.
 */
async function promiseCost(row: Row, spec: RunSpec): Promise<string> {
  const promises = await promisesPerRun(spec, 100);
  const nanosecondsPerPromise = await promiseNanoseconds();
  const promiseMsPerRun = (promises.perRun * nanosecondsPerPromise) / 1e6;
  const runMs = 1000 / row.runsPerSecond;
  return `promises: ${promises.perRun.toFixed(0)} a run (${promises.perStep.toFixed(1)} a step) at ${nanosecondsPerPromise.toFixed(0)} ns each in this process: about ${promiseMsPerRun.toFixed(2)} ms, ${((promiseMsPerRun / runMs) * 100).toFixed(0)} % of a run`;
}

const against = (row: Row, reference: Row): Row => ({ ...row, against: { name: reference.name, ratio: row.runsPerSecond / reference.runsPerSecond } });

const v04: SwitchValues = { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' };
const fixed: SwitchValues = { ...v04, wiring: 'retry', offset: 'durable' };

// Loaded before any timing, so that a folder that is no checkout is refused at once; timed first, so that neither side
// is warmer than the other (the rows below would have warmed this checkout's code and memos only).
const comparisons = values.against === undefined ? [] : await fromArgsAsync(() => loadComparisons(values.against!));
const compared = [];
for (const { name, here, there } of comparisons) {
  const [mine, theirs] = await compareCheckouts([here, there], { runs, warmupRuns });
  compared.push({ name, here: mine!, there: theirs! });
}

const fixedSpec = specOf(fixed, DEFAULT_FAULT_KINDS);
const [noFaults] = await sweepRows([{ name: `v0.4, no faults`, spec: specOf(v04, []) }]);
const v04Rows = await sweepRows([
  { name: `explore ${describeConfig(v04)}`, spec: specOf(v04, DEFAULT_FAULT_KINDS) },
  { name: `library tier: explore ${describeConfig({ ...v04, streams: 'real' })}`, spec: specOf({ ...v04, streams: 'real' }, DEFAULT_FAULT_KINDS) },
]);
const fixedRows = await sweepRows([
  { name: `explore ${describeConfig(fixed)}`, spec: fixedSpec },
  { name: `  without conformance`, spec: fixedSpec, conformance: false },
  { name: `  world, runtime and kernel alone (no conformance, no properties)`, spec: fixedSpec, conformance: false, properties: false },
  { name: `  wire path (transport=fetch)`, spec: specOf({ ...fixed, transport: 'fetch' }, DEFAULT_FAULT_KINDS) },
  { name: `  library tier (streams=real)`, spec: specOf({ ...fixed, streams: 'real' }, DEFAULT_FAULT_KINDS) },
]);
const rows: Row[] = [noFaults!, ...v04Rows, ...fixedRows, await fastCheckRow(`fast-check generated, v0.4`, v04Rows[0]!, specOf(v04, DEFAULT_FAULT_KINDS))];

console.log(`daily-digest, default faults unless said, ${runs} timed runs per row after ${warmupRuns} warm-up runs (node ${process.version})`);
console.log(`hop = the drain hop (µs), measured just before each row; step/hop = µs per step over it; sim/wall = simulated over wall time`);
console.log(
  `${'row'.padEnd(72)} ${'runs/s'.padStart(7)} ${'steps/run'.padStart(9)} ${'µs/step'.padStart(8)} ${'hop'.padStart(5)} ${'step/hop'.padStart(8)} ${'sim/wall'.padStart(9)}  vs`,
);
for (const row of rows) {
  const versus = row.against ? `${row.against.ratio.toFixed(2)}x ${row.against.name.trim()}` : '';
  console.log(
    `${row.name.padEnd(72)} ${row.runsPerSecond.toFixed(0).padStart(7)} ${row.stepsPerRun.toFixed(0).padStart(9)} ${row.microsecondsPerStep.toFixed(1).padStart(8)} ${row.hopMicroseconds.toFixed(1).padStart(5)} ${(row.microsecondsPerStep / row.hopMicroseconds).toFixed(1).padStart(8)} ${row.simulatedPerWall.toFixed(0).padStart(9)}  ${versus}`,
  );
}

// The first three of the fixes' rows, in the order they are given above.
const [fixedFull, withoutConformance, alone] = fixedRows;
console.log(`\n${timeSplit({ full: fixedFull!, withoutConformance: withoutConformance!, alone: alone! })}`);
console.log(await promiseCost(fixedFull!, fixedSpec));

if (compared.length > 0) {
  console.log(`\nthis checkout against ${comparisons[0]!.there.dir}: the same ${runs} runs each after ${warmupRuns} warm-up runs, taking turns in chunks of ${TURN_RUNS}, in this process, before the rows above (runs/s)`);
  console.log(`${'configuration, default faults'.padEnd(64)} ${'here'.padStart(7)} ${'there'.padStart(7)} ${'here/there'.padStart(10)}  same runs`);
  for (const { name, here: mine, there: theirs } of compared) {
    const same = mine.steps === theirs.steps ? 'yes (equal steps)' : `no: ${mine.steps} steps here, ${theirs.steps} there`;
    console.log(`${name.padEnd(64)} ${mine.runsPerSecond.toFixed(0).padStart(7)} ${theirs.runsPerSecond.toFixed(0).padStart(7)} ${`${(mine.runsPerSecond / theirs.runsPerSecond).toFixed(2)}x`.padStart(10)}  ${same}`);
  }
}

if (sweepRuns > 0) {
  const marks = await memorySweep(specOf(fixed, DEFAULT_FAULT_KINDS), sweepRuns, (mark) =>
    console.error(`memory sweep: ${mark.percent} % (${mark.runs} runs) after ${mark.elapsedSeconds.toFixed(0)} s, RSS ${mark.rssMiB.toFixed(1)} MiB, heap ${mark.heapUsedMiB.toFixed(1)} MiB`),
  );
  const first = marks[0]!;
  const collected = (globalThis as { gc?: unknown }).gc ? 'after a full collection' : 'without forcing a collection (node --expose-gc to force one)';
  console.log(`\nmemory over a sweep of ${sweepRuns} runs of ${describeConfig(fixed)}, ${collected}; growth against the first 10 %`);
  const last = marks[marks.length - 1]!;
  console.log(`${sweepRuns} runs in ${last.elapsedSeconds.toFixed(0)} s: ${(sweepRuns / last.elapsedSeconds).toFixed(0)} runs/s (collections included)`);
  console.log(`${'done'.padStart(5)} ${'runs'.padStart(8)} ${'RSS MiB'.padStart(8)} ${'heap MiB'.padStart(9)} ${'RSS growth'.padStart(11)}`);
  for (const mark of marks) {
    console.log(
      `${`${mark.percent} %`.padStart(5)} ${String(mark.runs).padStart(8)} ${mark.rssMiB.toFixed(1).padStart(8)} ${mark.heapUsedMiB.toFixed(1).padStart(9)} ${`${(((mark.rssMiB - first.rssMiB) / first.rssMiB) * 100).toFixed(1)} %`.padStart(11)}`,
    );
  }
}
