import { parseArgs } from 'node:util';
import { ALL_MUTANTS } from './catalog/index.ts';
import { GUIDED_DRAWS, type GuidedDraw } from '../sim/strategies/GuidedStrategy.ts';
import { MUTANT_STRATEGIES, type MutantStrategy } from './CiConfiguration.ts';
import type { Mutant } from './Mutant.ts';

/** A bad argument: the command prints it as one line and exits 2. */
export class MutantsUsageError extends Error {
  override name = 'MutantsUsageError';
}

/** What `npm run mutants` was asked to do. */
export interface MutantsArgs {
  readonly strategy: MutantStrategy;
  /** `--draw` for `--strategy guided`; absent, explore's default. */
  readonly draw?: GuidedDraw;
  readonly runs: number;
  readonly seed: number;
  readonly mutants: readonly Mutant[];
  readonly workers: number;
  /** Wall-clock limit of one exploration; a mutant whose exploration runs longer is flagged as a timeout. */
  readonly timeoutSeconds: number;
  readonly json: boolean;
  readonly help: boolean;
}

/** The budget of the CI configuration the suite measures: at most 3,000 runs. */
export const DEFAULT_MUTANT_RUNS = 3_000;
const MAX_WORKERS = 16;
/** One exploration of 3,000 clean runs takes one to two minutes on a loaded shared core; a mutant that makes every
 * run spin to its step limit is cut off and flagged rather than holding the suite up. */
const DEFAULT_TIMEOUT_SECONDS = 300;

export const MUTANTS_HELP = `Usage: npm run mutants -- [options]

Plants each mutant of mutants/catalog (one at a time, in a temporary copy of the project), explores it with the CI
configuration of its runtime (mutants/CiConfiguration.ts) and prints per mutant which property detected it, at which
run, with the replay token; then the detection rate. The unmutated runtime is explored first over the whole budget:
the runs it fails are ignored in every mutant's exploration, and a property it fails in some run counts for a mutant
only when the mutant fails it in more runs than chance explains (p <= 0.001; docs/mutants.md, "How it works").

Options:
  --strategy S   random | swarm | guided | pct (default random)
  --draw D       with --strategy guided: swarm (explore's default) or uniform draws for its fresh runs
  --runs N       run budget per mutant, 1 to 3000 (default 3000)
  --seed S       base seed, a whole number (default 1)
  --only IDS     comma-separated mutant ids (default: every mutant)
  --workers N    explorations at once, each in its own copy (default 1)
  --timeout S    wall-clock seconds one exploration may take before its mutant is flagged (default 300)
  --json         one JSON object instead of the table (a line per mutant still goes to stderr as it ends)
  -h, --help     this help

Exit status: 0 when it ran, 2 for a bad argument.`;

/** Parses the command line; throws {@link MutantsUsageError} for anything it does not accept. */
export function parseMutantsArgs(argv: readonly string[]): MutantsArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        strategy: { type: 'string' },
        draw: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        workers: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new MutantsUsageError(error instanceof Error ? error.message : String(error));
  }
  const strategy = values['strategy'] ?? 'random';
  if (typeof strategy !== 'string' || !(MUTANT_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new MutantsUsageError(`--strategy must be one of ${MUTANT_STRATEGIES.join(', ')}, not "${String(strategy)}"`);
  }
  const draw = values['draw'];
  if (draw !== undefined && strategy !== 'guided') throw new MutantsUsageError('--draw applies to --strategy guided only');
  if (draw !== undefined && (typeof draw !== 'string' || !(GUIDED_DRAWS as readonly string[]).includes(draw))) {
    throw new MutantsUsageError(`--draw must be one of ${GUIDED_DRAWS.join(', ')}, not "${String(draw)}"`);
  }
  return {
    strategy: strategy as MutantStrategy,
    ...(draw === undefined ? {} : { draw: draw as GuidedDraw }),
    runs: wholeNumber(values['runs'], '--runs', DEFAULT_MUTANT_RUNS, 1, DEFAULT_MUTANT_RUNS),
    seed: wholeNumber(values['seed'], '--seed', 1, 0, 0xffff_ffff),
    mutants: selectMutants(values['only']),
    workers: wholeNumber(values['workers'], '--workers', 1, 1, MAX_WORKERS),
    timeoutSeconds: wholeNumber(values['timeout'], '--timeout', DEFAULT_TIMEOUT_SECONDS, 10, 3_600),
    json: values['json'] === true,
    help: values['help'] === true,
  };
}

/** A whole-number option within [min, max], or `fallback` when absent; a {@link MutantsUsageError} otherwise. */
export function wholeNumber(text: string | boolean | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || value < min || value > max) {
    throw new MutantsUsageError(`${name} must be a whole number from ${min} to ${max}, not "${String(text)}"`);
  }
  return value;
}

function selectMutants(only: string | boolean | undefined): readonly Mutant[] {
  if (only === undefined) return ALL_MUTANTS;
  const ids = typeof only === 'string' ? only.split(',').map((id) => id.trim()).filter((id) => id !== '') : [];
  if (ids.length === 0) throw new MutantsUsageError('--only needs at least one mutant id');
  const unknown = ids.filter((id) => !ALL_MUTANTS.some((mutant) => mutant.id === id));
  if (unknown.length > 0) throw new MutantsUsageError(`unknown mutant id: ${unknown.join(', ')} (see mutants/catalog)`);
  return ALL_MUTANTS.filter((mutant) => ids.includes(mutant.id));
}
