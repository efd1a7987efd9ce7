import { parseArgs, type ParseArgsConfig } from 'node:util';
import { attachNegativeNumbers, repeatedOption } from '../cli/options.ts';
import { EXIT } from '../cli/UsageError.ts';

/**
 * The command line of a bench script, checked before any long work: `--help` (or `-h`) prints `usage` and exits 0;
 * an unknown option or a missing value is one line on stderr and `EXIT.badInput` (2), as everywhere else in the
 * tool, never a stack dump.
 */
export function parseBenchArgs<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>>['values'] {
  if (process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(EXIT.clean);
  }
  let parsed;
  try {
    // `--runs -1` reaches the option's own check (one line saying what is wrong) instead of parseArgs' "ambiguous".
    parsed = parseArgs({ ...config, args: attachNegativeNumbers(process.argv.slice(2), config.options ?? {}), tokens: true });
  } catch (error) {
    return refuseError(error);
  }
  const repeated = repeatedOption(parsed.tokens ?? [], config.options ?? {});
  if (repeated !== undefined) refuse(`${repeated} given more than once (give it once)`);
  return parsed.values as ReturnType<typeof parseArgs<T>>['values'];
}

/** `value` of option `--name` as a whole number of at least `min`; anything else is refused (exit 2). */
export function wholeNumberArg(name: string, value: string | undefined, min = 1): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(number) || number < min) refuse(`--${name} must be a whole number of at least ${min}, not "${value ?? ''}"`);
  return number;
}

/** `value` of option `--name`, one of `allowed`; anything else is refused (exit 2). */
export function oneOfArg<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) refuse(`--${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

/** `value` of option `--name` as a comma list, each entry one of `allowed`; an unknown or empty entry is refused. */
export function listArg<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (entry === '') refuse(`--${name} "${value}" has an empty entry (a stray comma?)`);
    if (!(allowed as readonly string[]).includes(entry)) refuse(`--${name}: unknown "${entry}" (known: ${allowed.join(', ')})`);
  }
  return entries as T[];
}

/**
 * Runs `read`, which turns arguments into what the script needs (an entry id into an entry, a switch value into a
 * run spec); the one-line error it throws for a bad argument is refused with exit 2 instead of a stack dump.
 */
export function fromArgs<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    return refuseError(error);
  }
}

/** {@link fromArgs} for an asynchronous `read` (a folder to load, say). */
export async function fromArgsAsync<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    return refuseError(error);
  }
}

/** Refuses with what `error` says, one line. */
function refuseError(error: unknown): never {
  return refuse(error instanceof Error ? error.message : String(error));
}

function refuse(message: string): never {
  process.stderr.write(`bench: ${message.split('\n')[0]} (--help for usage)\n`);
  process.exit(EXIT.badInput);
}
