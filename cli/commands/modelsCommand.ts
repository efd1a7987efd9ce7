import { parseCommandArgs } from '../options.ts';
import { EXIT, UsageError } from '../UsageError.ts';
import { modelsCheckCommand } from './modelsCheckCommand.ts';
import { modelsCoverageCommand } from './modelsCoverageCommand.ts';
import { modelsDocsCommand } from './modelsDocsCommand.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

export const MODELS_HELP = `Usage: ${SIM_COMMAND} models <check|coverage|docs> [options]

The executable models (models/): XState machines in two layers, composed into the model every simulated run is
checked against. System models, fed by the world's observations and the entity's probes, for any runtime: the
servers' view of each runner, the wake stream, the digest entity. Models of a runtime's internals, fed by the
annotations it declares: the runner lifecycle, the wiring chain.

Subcommands:
  check      model checking: for every combination of the wiring, offset and idempotency switches, whether each
             violation is reachable in the model, the shortest path to it, and whether the runtime reproduces it
  coverage   which model states and transitions a batch of simulated runs exercised
  docs       write docs/models/<machine>.md (Mermaid statechart and legend); --check fails when they are stale

Run \`${SIM_COMMAND} models <subcommand> --help\` for options.`;

type Subcommand = (args: readonly string[], out: (line: string) => void) => Promise<number>;

/** `models <subcommand>`. */
export async function modelsCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const [subcommand, ...rest] = args;
  const subcommands: Record<string, Subcommand> = { check: modelsCheckCommand, coverage: modelsCoverageCommand, docs: modelsDocsCommand };
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    parseCommandArgs('models', [], {}, false);
    out(MODELS_HELP);
    return EXIT.clean;
  }
  const run = Object.hasOwn(subcommands, subcommand) ? subcommands[subcommand] : undefined;
  if (!run) throw new UsageError(`models: unknown subcommand "${subcommand}" (known: ${Object.keys(subcommands).join(', ')}; see --help)`);
  return run(rest, out);
}
