import { exploreCommand } from './commands/exploreCommand.ts';
import { matrixCommand } from './commands/matrixCommand.ts';
import { mergeCommand } from './commands/mergeCommand.ts';
import { modelsCommand } from './commands/modelsCommand.ts';
import { replayCommand } from './commands/replayCommand.ts';
import { startCommand } from './commands/startCommand.ts';
import { pathToFileURL } from 'node:url';
import { loadRegistrations, RegistrationModuleError } from '../scenarios/registry/registrationModules.ts';
import { chooseConfigModule, CONFIG_FILE_NAMES, CONFIG_MODULE_OPTION, CONFIG_MODULE_VARIABLE } from './configModule.ts';
import { installInternalErrorHandlers, internalErrorText, scenarioCodeErrorText } from './internalError.ts';
import { isScenarioCodeError } from '../scenarios/ScenarioCodeError.ts';
import { EXIT, UsageError } from './UsageError.ts';
import { PROGRAM_NAME, SIM_COMMAND } from '../scenarios/simCommand.ts';

const MAIN_HELP = `Usage: ${SIM_COMMAND} <command> [options]

Deterministic simulation of the Durable Streams agents wake path: finds duplicate and missed actions, unwired
shared-state handles, wake replays and hangs across restarts, preload failures and reordered deliveries, and
replays any finding exactly from one token.

Commands:
  explore    search a configuration for violations, shrink the first one, print its story and replay token
  replay     re-run a token exactly and print its timeline
  start      the main job: the verdict per defect of the bug report, and its story (what \`npm start\` runs)
  matrix     the fix matrix: every switch combination explored with the same seeds
  merge      combine the --json outputs of explore/matrix --shard i/n into the unsharded result
  models     the executable models: check (model checking), coverage, docs
  help       this text; \`<command> --help\` for a command's options

Your own runtimes, scenarios, properties and fault kinds: every command first imports the registration module
named by ${CONFIG_MODULE_OPTION} PATH (before or after the command), else by $${CONFIG_MODULE_VARIABLE}, else the first
of ${CONFIG_FILE_NAMES.join(', ')}
in the current directory (TypeScript needs tsx installed); worker threads (--workers) import it too.

Exit status: 0 clean, 1 a violation was found or reproduced, 2 bad input, 3 an internal error of the tool,
4 replay FILE: this build tells the trace file's story differently.`;

const COMMANDS: Record<string, (args: readonly string[], out: (line: string) => void) => Promise<number>> = {
  explore: exploreCommand,
  replay: replayCommand,
  start: startCommand,
  models: modelsCommand,
  matrix: matrixCommand,
  merge: mergeCommand,
};

/** Runs the command line; returns the exit status. Usage errors print one line on stderr and give 2. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  try {
    const { args, module } = chooseConfigModule(argv, process.env, process.cwd());
    if (module !== undefined) await loadConfigModule(module, asksForHelp(args));
    const [command, ...rest] = args;
    if (command === 'help' && rest.length > 0) {
      // `help explore` is `explore --help`; `help nope` is a mistake like `nope`.
      const topic = Object.hasOwn(COMMANDS, rest[0]!) ? COMMANDS[rest[0]!] : undefined;
      if (rest.length > 1 || !topic) throw new UsageError(`help: unknown command "${rest.join(' ')}" (known: ${Object.keys(COMMANDS).join(', ')})`);
      return await topic(['--help'], out);
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(MAIN_HELP);
      return EXIT.clean;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command "${command}" (known: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    return await run(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${PROGRAM_NAME}: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (isScenarioCodeError(error)) {
      process.stderr.write(scenarioCodeErrorText(error));
      return EXIT.internalError;
    }
    // A bug of the tool, not a finding: its own exit status, and the stack for the report.
    process.stderr.write(internalErrorText(error));
    return EXIT.internalError;
  }
}

/** True when the command line only asks for help: the top-level text, `help [command]`, or a command's `--help`. */
function asksForHelp(args: readonly string[]): boolean {
  const [command, ...rest] = args;
  return command === undefined || command === 'help' || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h');
}

/**
 * Imports the user's registration module; a missing or failing one is bad input, not an internal error. Help is
 * printed all the same, without what the module would have registered, after a one-line note on stderr: the help is
 * what a user reads to find out what went wrong.
 */
async function loadConfigModule(module: string, forHelp: boolean): Promise<void> {
  try {
    await loadRegistrations(module);
  } catch (error) {
    if (!(error instanceof RegistrationModuleError)) throw error;
    if (!forHelp) throw new UsageError(error.message);
    process.stderr.write(`${PROGRAM_NAME}: ${error.message} (the help below lists the built-in runtimes, scenarios and faults only)\n`);
  }
}

/** Runs the command line of this process and sets its exit status: what `tsx cli/main.ts` and the `wake-sim` bin do. */
export async function runCommandLine(): Promise<void> {
  installInternalErrorHandlers();
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runCommandLine();
