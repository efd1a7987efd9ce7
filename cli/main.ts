import { exploreCommand, EXPLORE_HELP } from './commands/exploreCommand.ts';
import { modelsCommand, MODELS_HELP } from './commands/modelsCommand.ts';
import { replayCommand, REPLAY_HELP } from './commands/replayCommand.ts';
import { startCommand, START_HELP } from './commands/startCommand.ts';
import { EXIT, UsageError } from './UsageError.ts';

const MAIN_HELP = `Usage: npm run sim -- <command> [options]

Deterministic simulation of the Durable Streams agents wake path: finds duplicate and missed actions, unwired
shared-state handles, wake replays and hangs across restarts, preload failures and reordered deliveries, and
replays any finding exactly from one token.

Commands:
  explore    search a configuration for violations, shrink the first one, print its story and replay token
  replay     re-run a token exactly and print its timeline
  start      the main job: v0.4 and the fixed configuration side by side (what \`npm start\` runs)
  models     the executable models: check (model checking), coverage, docs
  help       this text; \`<command> --help\` for a command's options

Exit status: 0 clean, 1 a violation was found or reproduced, 2 bad input.`;

const COMMANDS: Record<string, (args: readonly string[], out: (line: string) => void) => Promise<number>> = {
  explore: exploreCommand,
  replay: replayCommand,
  start: startCommand,
  models: modelsCommand,
};

/** Runs the command line; returns the exit status. Usage errors print one line on stderr and give 2. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(MAIN_HELP);
      return EXIT.clean;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}" (known: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    return await run(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sim: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

export const HELP_TEXTS = { main: MAIN_HELP, explore: EXPLORE_HELP, replay: REPLAY_HELP, start: START_HELP, models: MODELS_HELP };

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
