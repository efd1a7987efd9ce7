/**
 * Runs per second of `explore`'s sweep (seeded runs, no shrinking) on the daily-digest scenario, for v0.4 and for
 * wiring=retry offset=durable, in the fast tier and in the library tier (`streams=real`: real StreamDBs over HTTP
 * to the simulated service), against a baseline measured in the same process: the same scenario with no faults
 * (the floor cost of simulating the world), and fast-check generating the choice sequences (the property-suite path).
 *
 * Usage: npm run bench [-- --runs N]   (default 1000 runs per row; the first 100 runs of each row warm up)
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { choiceSequence } from '../sim/choice/choiceSequenceArbitrary.ts';
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { RandomStrategy } from '../sim/strategies/RandomStrategy.ts';
import { sweep } from '../sim/explore/sweep.ts';
import { describeConfig } from '../scenarios/config/describeConfig.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import type { SwitchValues } from '../scenarios/config/SwitchValues.ts';
import { runScenario, type RunResult } from '../scenarios/runScenario.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../world/faults/FaultKind.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' } } });
const runs = Number(values.runs);
const WARMUP_RUNS = 100;

interface Row {
  readonly name: string;
  readonly runsPerSecond: number;
  readonly stepsPerRun: number;
  readonly microsecondsPerStep: number;
}

async function measureSweep(name: string, config: SwitchValues, faults: readonly FaultKind[]): Promise<Row> {
  const spec = runSpecFor({ scenario: 'daily-digest', switches: config, faults });
  const go = async (count: number, seed: number): Promise<{ ms: number; steps: number }> => {
    let steps = 0;
    const started = performance.now();
    await sweep({ maxRuns: count, strategy: new RandomStrategy(seed), run: (choices) => runScenario(spec, choices), isFinding: () => false, onRun: (_, result: RunResult) => void (steps += result.steps) });
    return { ms: performance.now() - started, steps };
  };
  await go(WARMUP_RUNS, 999);
  const { ms, steps } = await go(runs, 1);
  return { name, runsPerSecond: (runs * 1000) / ms, stepsPerRun: steps / runs, microsecondsPerStep: (ms * 1000) / steps };
}

async function measureFastCheckGenerated(name: string, config: SwitchValues): Promise<Row> {
  const spec = runSpecFor({ scenario: 'daily-digest', switches: config, faults: DEFAULT_FAULT_KINDS });
  let steps = 0;
  const property = fc.asyncProperty(choiceSequence(), async (choices) => {
    steps += (await runScenario(spec, new RecordedChoiceSource(choices))).steps;
    return true;
  });
  await fc.check(property, { numRuns: WARMUP_RUNS, seed: 999 });
  steps = 0;
  const started = performance.now();
  await fc.check(property, { numRuns: runs, seed: 1 });
  const ms = performance.now() - started;
  return { name, runsPerSecond: (runs * 1000) / ms, stepsPerRun: steps / runs, microsecondsPerStep: (ms * 1000) / steps };
}

const v04: SwitchValues = { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' };
const fixed: SwitchValues = { ...v04, wiring: 'retry', offset: 'durable' };
const v04Real: SwitchValues = { ...v04, streams: 'real' };
const fixedReal: SwitchValues = { ...fixed, streams: 'real' };
const baseline = await measureSweep(`baseline: v0.4, no faults`, v04, []);
const rows = [
  baseline,
  await measureSweep(`explore ${describeConfig(v04)}`, v04, DEFAULT_FAULT_KINDS),
  await measureSweep(`explore ${describeConfig(fixed)}`, fixed, DEFAULT_FAULT_KINDS),
  await measureSweep(`library tier: explore ${describeConfig(v04Real)}`, v04Real, DEFAULT_FAULT_KINDS),
  await measureSweep(`library tier: explore ${describeConfig(fixedReal)}`, fixedReal, DEFAULT_FAULT_KINDS),
  await measureFastCheckGenerated(`fast-check generated, v0.4`, v04),
];

console.log(`daily-digest, default faults, ${runs} runs per row (node ${process.version})`);
console.log(`${'row'.padEnd(92)} ${'runs/s'.padStart(8)} ${'steps/run'.padStart(10)} ${'µs/step'.padStart(8)} ${'vs baseline'.padStart(12)}`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(92)} ${row.runsPerSecond.toFixed(0).padStart(8)} ${row.stepsPerRun.toFixed(0).padStart(10)} ${row.microsecondsPerStep.toFixed(1).padStart(8)} ${(row.runsPerSecond / baseline.runsPerSecond).toFixed(2).padStart(11)}x`,
  );
}
