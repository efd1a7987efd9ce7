/**
 * How often the default exploration of the digest scenario redeploys a host while one of its wakes is in flight
 * (between the claim granted and its done): the moment the bug report's own story needs, which redeploys at uniform
 * times over minutes hit only by chance (issue 15). Runs exactly the runs `explore` would draw — strategy random,
 * `--seed`, run indexes 0 .. `--runs` - 1, default faults — without stopping at a finding, and counts from each trace.
 *
 * Usage: npm run bench:in-flight [-- --runs 500 --seed 1 --faults report --wiring swallow --offset minus-one]
 */
import { RandomStrategy } from '../sim/strategies/RandomStrategy.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { parseFaultList } from '../world/faults/FaultKind.ts';
import { stopsDuringWakes } from './wakeInFlightStops.ts';
import { fromArgs, parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const USAGE = `Usage: npm run bench:in-flight [-- --runs 500 --seed 1 --faults report --wiring swallow --offset minus-one]`;
const values = parseBenchArgs(USAGE, {
  options: {
    runs: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    faults: { type: 'string', default: 'report' },
    wiring: { type: 'string', default: 'swallow' },
    offset: { type: 'string', default: 'minus-one' },
  },
});
const runs = wholeNumberArg('runs', values.runs);
const seed = wholeNumberArg('seed', values.seed, 0);
const spec = fromArgs(() => runSpecFor({ scenario: 'daily-digest', switches: { wiring: values.wiring, offset: values.offset }, faults: parseFaultList(values.faults) }));
const strategy = new RandomStrategy(seed);

let runsWithOne = 0;
let stops = 0;
for (let runIndex = 0; runIndex < runs; runIndex += 1) {
  const result = await runScenario(spec, strategy.sourceForRun(runIndex));
  const found = stopsDuringWakes(result.events).filter((stop) => stop.deploy === 'redeploy');
  stops += found.length;
  if (found.length > 0) runsWithOne += 1;
}
const percent = ((100 * runsWithOne) / runs).toFixed(1);
console.log(`daily-digest, wiring=${values.wiring} offset=${values.offset}, faults ${values.faults}, seed ${seed}, runs 0..${runs - 1} (random)`);
console.log(`runs with a redeploy during an in-flight wake: ${runsWithOne} of ${runs} (${percent} %); such redeploys: ${stops}`);
