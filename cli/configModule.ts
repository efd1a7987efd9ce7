import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './UsageError.ts';

/** The option naming the registration module explicitly; accepted before or after the command. */
export const CONFIG_MODULE_OPTION = '--config-module';
/** The environment variable naming it when the option does not. */
export const CONFIG_MODULE_VARIABLE = 'WAKE_SIM_CONFIG';
/**
 * Files looked for in the current directory when neither names a module, in this order: plain JavaScript first (it
 * needs no loader), then TypeScript (it needs tsx in the project).
 */
export const CONFIG_FILE_NAMES: readonly string[] = ['wake-sim.config.mjs', 'wake-sim.config.js', 'wake-sim.config.mts', 'wake-sim.config.ts'];

/**
 * The option's line in a command's own help, its description starting at `column` (the help's option column): on the
 * option's line when it fits there, else on the next. Every command takes the option (main strips it before them).
 */
export function configModuleHelpLine(column: number): string {
  const option = `  ${CONFIG_MODULE_OPTION} PATH`;
  const description = 'import this registration module first: your runtimes, scenarios, properties and fault kinds';
  return option.length < column ? `${option.padEnd(column)}${description}` : `${option}\n${' '.repeat(column)}${description}`;
}

/** The command line without the config-module option, and the registration module to load, if any. */
export interface ConfigModuleChoice {
  readonly args: readonly string[];
  /** A path as given (relative to the current directory), or undefined when there is nothing to load. */
  readonly module: string | undefined;
}

/**
 * Which registration module the command line loads before it runs a command: `--config-module PATH` (or
 * `--config-module=PATH`), else `$WAKE_SIM_CONFIG`, else the first of {@link CONFIG_FILE_NAMES} in `cwd`, else none.
 * The option is taken out of the arguments, so every command accepts it without knowing it.
 */
export function chooseConfigModule(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): ConfigModuleChoice {
  const args: string[] = [];
  let named: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--') {
      args.push(...argv.slice(index));
      break;
    }
    if (argument === CONFIG_MODULE_OPTION || argument.startsWith(`${CONFIG_MODULE_OPTION}=`)) {
      const value = argument === CONFIG_MODULE_OPTION ? argv[(index += 1)] : argument.slice(CONFIG_MODULE_OPTION.length + 1);
      if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError(`${CONFIG_MODULE_OPTION} needs a path (a module that registers runtimes and scenarios)`);
      if (named !== undefined) throw new UsageError(`${CONFIG_MODULE_OPTION} given twice (name one module; it may import others)`);
      named = value;
      continue;
    }
    args.push(argument);
  }
  const fromEnv = env[CONFIG_MODULE_VARIABLE];
  const module = named ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : CONFIG_FILE_NAMES.find((name) => existsSync(join(cwd, name))));
  return { args, module };
}
