import { measureCoverage } from '../../models/coverage/measureCoverage.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { percentOf } from '../format/coverageFigures.ts';
import { DEFAULT_RUNS, parseCommandArgs, parseFaultsOption, parseRuns, parseSeed } from '../options.ts';
import { EXIT } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

export const MODELS_COVERAGE_HELP = `Usage: ${SIM_COMMAND} models coverage [options]

Runs a batch of simulations round-robin over every combination of the wiring, offset and idempotency switches,
checks each run against the composed model, and reports which model states and transitions the batch exercised,
with the transitions it never took.

Options:
  --runs N        runs in the batch (default: ${DEFAULT_RUNS}, the default explore budget)
  --seed S        base seed (default: 1)
  --faults LIST   fault kinds, as for explore (default: the default set)
  --json          print one JSON object
${configModuleHelpLine(18)}
  -h, --help      show this help`;

/** `models coverage`. */
export async function modelsCoverageCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'models coverage',
    args,
    { runs: { type: 'string' }, seed: { type: 'string' }, faults: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    false,
  );
  if (values['help']) {
    out(MODELS_COVERAGE_HELP);
    return EXIT.clean;
  }
  const faults = parseFaultsOption(values['faults']);
  const runs = parseRuns(values['runs']);
  const seed = parseSeed(values['seed']);
  const outcome = await measureCoverage({ scenario: DEFAULT_SCENARIO, runs, seed, faults });
  if (values['json']) {
    out(
      JSON.stringify(
        {
          runs,
          seed,
          faults,
          nonconformingRuns: outcome.nonconformingRuns,
          states: { ...outcome.states, percent: percentOf(outcome.states.covered, outcome.states.total) },
          transitions: { ...outcome.transitions, percent: percentOf(outcome.transitions.covered, outcome.transitions.total) },
        },
        null,
        2,
      ),
    );
    return EXIT.clean;
  }
  out(`${runs} runs (seed ${seed}, faults: ${faults.join(', ') || 'none'}), round-robin over every switch combination`);
  out(`states       ${outcome.states.covered}/${outcome.states.total} (${percentOf(outcome.states.covered, outcome.states.total)}%)`);
  out(`transitions  ${outcome.transitions.covered}/${outcome.transitions.total} (${percentOf(outcome.transitions.covered, outcome.transitions.total)}%)`);
  if (outcome.nonconformingRuns > 0) out(`runs the model did not accept: ${outcome.nonconformingRuns} (see explore --property model-conformance)`);
  if (outcome.states.missing.length > 0) {
    out('');
    out('states never entered:');
    outcome.states.missing.forEach((state) => out(`  ${state}`));
  }
  if (outcome.transitions.missing.length > 0) {
    out('');
    out('transitions never taken:');
    for (const transition of outcome.transitions.missing) {
      const guard = transition.guard ? ` [${transition.guard}]` : '';
      const targets = transition.targets.length > 0 ? ` -> ${transition.targets.join(', ')}` : ' (stays)';
      out(`  ${transition.machine.padEnd(16)} ${transition.source}: ${transition.event}${guard}${targets}`);
    }
  }
  return EXIT.clean;
}
