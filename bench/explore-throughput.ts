/**
 * Throughput of `explore`'s sweep (seeded runs, no shrinking) on the daily-digest scenario, every figure a ratio
 * measured in this process, so that it means the same on a loaded machine:
 *
 * - per row: runs/s, steps per run, µs per step and that cost over the drain hop (the macrotask hop each step needs,
 *   measured just before the row), and simulated time per wall time;
 * - the rows of the earlier bench (v0.4 without faults, v0.4 and wiring=retry offset=durable with the default faults,
 *   the library tier, fast-check generating the choices), each also against the fast path of its configuration;
 *   rows compared with each other are measured together, taking turns in chunks of 25 runs;
 * - conformance priced: the same sweep without following the composed model;
 * - the wire path (`transport=fetch`: the runtime's requests as WHATWG fetch) against the fast path;
 * - memory: RSS and used heap after each tenth of a longer sweep.
 *
 * Usage: npm run bench [-- --runs N --warmup W --sweep-runs S]
 *   (defaults: 1000 timed runs per row after 100 warm-up runs; a memory sweep of 3000 runs; `node --expose-gc`
 *   makes the memory figures collect first)
 */
import fc from 'fast-check';
import { choiceSequence } from '../sim/choice/choiceSequenceArbitrary.ts';
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { describeConfig } from '../scenarios/config/describeConfig.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { SwitchValues } from '../scenarios/config/SwitchValues.ts';
import type { RunSpec } from '../scenarios/index.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../world/faults/FaultKind.ts';
import { measureDrainHopMicroseconds } from './throughput/measureDrainHop.ts';
import { memorySweep } from './throughput/memorySweep.ts';
import { measureSweeps, type SweepCase, type SweepFigures } from './throughput/measureSweep.ts';
import { parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const USAGE = `Usage: npm run bench [-- --runs N --warmup W --sweep-runs S]
       (defaults: 1000 timed runs per row after 100 warm-up runs; a memory sweep of 3000 runs; \`node --expose-gc\`
       makes the memory figures collect first)`;
const values = parseBenchArgs(USAGE, {
  options: { runs: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '100' }, 'sweep-runs': { type: 'string', default: '3000' } },
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

async function fastCheckRow(name: string, spec: RunSpec): Promise<Row> {
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
  const started = performance.now();
  await fc.check(property, { numRuns: runs, seed: 1 });
  const wallMs = performance.now() - started;
  return { name, hopMicroseconds, runsPerSecond: (runs * 1000) / wallMs, stepsPerRun: steps / runs, microsecondsPerStep: (wallMs * 1000) / steps, simulatedPerWall: simulatedMs / wallMs };
}

const against = (row: Row, reference: Row): Row => ({ ...row, against: { name: reference.name, ratio: row.runsPerSecond / reference.runsPerSecond } });

const v04: SwitchValues = { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' };
const fixed: SwitchValues = { ...v04, wiring: 'retry', offset: 'durable' };

const fixedSpec = specOf(fixed, DEFAULT_FAULT_KINDS);
const [noFaults] = await sweepRows([{ name: `v0.4, no faults`, spec: specOf(v04, []) }]);
const v04Rows = await sweepRows([
  { name: `explore ${describeConfig(v04)}`, spec: specOf(v04, DEFAULT_FAULT_KINDS) },
  { name: `library tier: explore ${describeConfig({ ...v04, streams: 'real' })}`, spec: specOf({ ...v04, streams: 'real' }, DEFAULT_FAULT_KINDS) },
]);
const fixedRows = await sweepRows([
  { name: `explore ${describeConfig(fixed)}`, spec: fixedSpec },
  { name: `  without conformance`, spec: fixedSpec, conformance: false },
  { name: `  wire path (transport=fetch)`, spec: specOf({ ...fixed, transport: 'fetch' }, DEFAULT_FAULT_KINDS) },
  { name: `  library tier (streams=real)`, spec: specOf({ ...fixed, streams: 'real' }, DEFAULT_FAULT_KINDS) },
]);
const rows: Row[] = [noFaults!, ...v04Rows, ...fixedRows, against(await fastCheckRow(`fast-check generated, v0.4`, specOf(v04, DEFAULT_FAULT_KINDS)), v04Rows[0]!)];

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
