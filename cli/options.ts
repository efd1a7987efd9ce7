import { parseArgs, type ParseArgsConfig } from 'node:util';
import { propertyNames, type PropertyName } from '../properties/index.ts';
import { DEFAULT_MAX_SHRINK_ATTEMPTS } from '../scenarios/explore.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { ConfigError } from '../scenarios/config/SwitchValues.ts';
import { WORLD_SWITCHES } from '../scenarios/config/worldSwitches.ts';
import { DEFAULT_SCENARIO, registeredScenarios, ScenarioError, type RunSpec } from '../scenarios/index.ts';
import { RegistryError } from '../scenarios/registry/RegistryError.ts';
import { DEFAULT_RUNTIME, registeredRuntimes } from '../scenarios/registry/runtimes.ts';
import { DEFAULT_FAULT_KINDS, FaultListError, parseFaultList, type FaultKind } from '../world/faults/FaultKind.ts';
import { DEFAULT_EXHAUSTIVE_BOUNDS } from '../sim/strategies/ExhaustiveStrategy.ts';
import { DEFAULT_PCT_DEPTH, PCT_EXPECTED_DECISIONS } from '../sim/strategies/PctStrategy.ts';
import { DEFAULT_GUIDED_OPTIONS, GUIDED_DRAWS, type GuidedDraw } from '../sim/strategies/GuidedStrategy.ts';
import { canSpreadRuns, STRATEGY_NAMES, type StrategyName } from '../sim/strategies/SearchStrategy.ts';
import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import { MAX_SHARD_COUNT, type Shard } from '../sim/explore/runRange.ts';
import { MAX_WORKERS } from '../scenarios/parallel/taskRunner.ts';
import { UsageError } from './UsageError.ts';

/** Runs `explore` tries by default before it declares a configuration clean. */
export const DEFAULT_RUNS = 500;
export const DEFAULT_SEED = 1;
/** Upper bound on `--runs`, so a typo cannot start a run that never ends. */
const MAX_RUNS = 10_000_000;

/** The name of every switch of every registered runtime and scenario, and of the world: each is an option. */
export function switchNames(): string[] {
  const names = new Set<string>();
  for (const runtime of registeredRuntimes()) for (const definition of runtime.switches) names.add(definition.name);
  for (const definition of WORLD_SWITCHES) names.add(definition.name);
  for (const scenario of registeredScenarios()) for (const definition of scenario.switches ?? []) names.add(definition.name);
  return [...names];
}

/** Options every run-family command shares: what to run (`--scenario --runtime --config --faults`) and every switch. */
export function specOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {
    scenario: { type: 'string' },
    runtime: { type: 'string' },
    config: { type: 'string' },
    faults: { type: 'string' },
  };
  for (const name of switchNames()) options[name] = { type: 'string' };
  return options;
}

/**
 * Parses argv strictly; unknown options, stray arguments and a single-value option given twice become one-line usage
 * errors. A negative number after a value option (`--runs -1`) is taken as that option's value, so the option's own
 * check refuses it in one line instead of parseArgs suggesting `--runs=-1`, which would then be refused too.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: O,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: attachNegativeNumbers(args, options), options, strict: true, allowPositionals, tokens: true });
  } catch (error) {
    // parseArgs explains over several lines; keep one: the first sentence, or the hint for a value starting with "-".
    const lines = error instanceof Error ? error.message.split('\n') : [String(error)];
    const first = lines[0]!.replace(/\. To specify a positional argument.*$/, '');
    const dashHint = lines.find((line) => line.startsWith('To specify an option argument starting with a dash'));
    throw new UsageError(`${command}: ${first}${dashHint ? ` ${dashHint.replace(/^To specify/, 'to pass')}` : ''} (see --help)`);
  }
  const repeated = repeatedOption(parsed.tokens, options);
  if (repeated !== undefined) throw new UsageError(`${command}: ${repeated} given more than once (give it once; see --help)`);
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
}

/**
 * The first option (as typed) given twice that does not take several values: parseArgs keeps the last of two values
 * silently, and `--wiring swallow --wiring retry` is a mistake to point out.
 */
export function repeatedOption(tokens: readonly { kind: string; name?: string; rawName?: string }[], options: NonNullable<ParseArgsConfig['options']>): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined || options[token.name]?.multiple === true) continue;
    if (seen.has(token.name)) return token.rawName;
    seen.add(token.name);
  }
  return undefined;
}

/** `--runs -1` as `--runs=-1` for options that take a value: a negative number is never meant as an option name. */
export function attachNegativeNumbers(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      result.push(`${arg}=${next}`);
      index += 1;
    } else result.push(arg);
  }
  return result;
}

/** The switch values named on the command line (`--wiring retry ...`), before defaults and presets. */
export function switchOptions(values: Record<string, unknown>): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const name of switchNames()) {
    const value = stringOption(values[name]);
    if (value !== undefined) chosen[name] = value;
  }
  return chosen;
}

/** Builds the run spec from `--scenario --runtime --config --faults` and the switch options. */
export function specFromOptions(values: Record<string, unknown>): RunSpec {
  try {
    const requested = values['faults'] === undefined ? undefined : parseFaultsOption(values['faults']);
    return runSpecFor({
      scenario: stringOption(values['scenario']) ?? DEFAULT_SCENARIO,
      runtime: stringOption(values['runtime']) ?? DEFAULT_RUNTIME,
      preset: stringOption(values['config']) ?? 'v0.4',
      switches: switchOptions(values),
      ...(requested ? { faults: requested } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof FaultListError || error instanceof ScenarioError || error instanceof RegistryError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `--faults LIST`, or the default fault set when absent. An empty list is an error, not "no faults": an unset CI
 * variable must not turn a search into a fault-free one that passes (`none` says that on purpose). So are an empty
 * entry (`redeploy,`) and `none` next to fault kinds.
 */
export function parseFaultsOption(text: unknown): FaultKind[] {
  if (typeof text !== 'string') return [...DEFAULT_FAULT_KINDS];
  if (text.trim() === '') throw new UsageError('--faults is empty; name fault kinds, or default, all or none');
  const words = text.split(',').map((word) => word.trim());
  if (words.includes('')) throw new UsageError(`--faults "${text}" has an empty entry (a stray comma?)`);
  if (words.includes('none') && words.length > 1) throw new UsageError(`--faults "${text}": none cannot be combined with other fault kinds`);
  try {
    return parseFaultList(text);
  } catch (error) {
    if (error instanceof FaultListError) throw new UsageError(error.message);
    throw error;
  }
}

export function parseRuns(text: unknown): number {
  if (text === undefined) return DEFAULT_RUNS;
  const runs = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || runs < 1 || runs > MAX_RUNS) {
    throw new UsageError(`--runs must be a whole number from 1 to ${MAX_RUNS}, not "${String(text)}"`);
  }
  return runs;
}

/**
 * `--ignore-runs LIST`: run numbers (1-based, as reports print them) whose violations do not count, each within the
 * budget; the 0-based indexes of those runs. A search that ignores runs runs in this thread (no shard, no workers).
 */
export function parseIgnoredRuns(text: unknown, maxRuns: number, shard: Shard | undefined, workers: number): Set<number> {
  if (text === undefined) return new Set();
  const entries = String(text).split(',').map((entry) => entry.trim());
  const runs = entries.map(Number);
  const bad = entries.find((entry, index) => !/^\d+$/.test(entry) || runs[index]! < 1 || runs[index]! > maxRuns);
  if (bad !== undefined) throw new UsageError(`--ignore-runs takes run numbers from 1 to the budget (${maxRuns}), comma-separated; "${bad}" is not one`);
  checkThisThreadOnly('--ignore-runs', shard, workers);
  return new Set(runs.map((run) => run - 1));
}

/** Refuses `option`, a search that runs in this thread only, beside `--shard` or `--workers K` (K > 1). */
export function checkThisThreadOnly(option: string, shard: Shard | undefined, workers: number): void {
  if (shard || workers > 1) throw new UsageError(`${option} runs in this thread only; drop ${shard ? '--shard' : '--workers'}`);
}

/** `--shrink-attempts N`: the shrink budget of a finding, 0 (no shrinking) up to the default. */
export function parseShrinkAttempts(text: unknown): number {
  if (text === undefined) return DEFAULT_MAX_SHRINK_ATTEMPTS;
  const attempts = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || attempts > DEFAULT_MAX_SHRINK_ATTEMPTS) {
    throw new UsageError(`--shrink-attempts must be a whole number from 0 to ${DEFAULT_MAX_SHRINK_ATTEMPTS}, not "${String(text)}"`);
  }
  return attempts;
}

export function parseSeed(text: unknown): number {
  if (text === undefined) return DEFAULT_SEED;
  if (typeof text === 'string' && text.trim() === '') throw new UsageError('--seed is empty; give a whole number from 0 to 4294967295 (decimal or 0x hex)');
  const seed = typeof text === 'string' && /^(\d+|0x[0-9a-fA-F]+)$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new UsageError(`--seed must be a whole number from 0 to 4294967295 (decimal or 0x hex), not "${String(text)}"`);
  }
  return seed;
}

export function parseProperties(values: unknown): PropertyName[] {
  if (values === undefined) return propertyNames();
  const names = (Array.isArray(values) ? values : [values]).flatMap((value) => String(value).split(',').map((name) => name.trim()));
  if (names.every((name) => name === '')) throw new UsageError(`--property is empty; name one or more of: ${propertyNames().join(', ')}`);
  if (names.includes('')) throw new UsageError('--property has an empty entry (a stray comma?)');
  for (const name of names) {
    if (!(propertyNames() as readonly string[]).includes(name)) {
      throw new UsageError(`unknown property "${name}" (known: ${propertyNames().join(', ')})`);
    }
  }
  return propertyNames().filter((name) => names.includes(name));
}

/** Options that select and tune a search strategy. */
export const STRATEGY_OPTIONS = {
  strategy: { type: 'string' },
  depth: { type: 'string' },
  'max-deviations': { type: 'string' },
  draw: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Largest PCT depth and deviation bound accepted: beyond them a search is never going to finish anyway. */
const MAX_STRATEGY_BOUND = 64;

/** `--strategy NAME [--depth D] [--max-deviations K] [--draw D]`: each tuning option only with its strategy. */
export function parseStrategyOptions(values: Record<string, unknown>): Omit<StrategyOptions, 'seed'> {
  const name = stringOption(values['strategy']) ?? 'random';
  if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown strategy "${name}" (known: ${STRATEGY_NAMES.join(', ')})`);
  }
  const strategy = name as StrategyName;
  if (values['depth'] !== undefined && strategy !== 'pct') throw new UsageError('--depth applies to --strategy pct only');
  if (values['max-deviations'] !== undefined && strategy !== 'exhaustive') {
    throw new UsageError('--max-deviations applies to --strategy exhaustive only');
  }
  if (values['draw'] !== undefined && strategy !== 'guided') throw new UsageError('--draw applies to --strategy guided only');
  // PCT places d - 1 change points among the decisions it expects a run to make: a deeper bug cannot be targeted.
  if (strategy === 'pct') return { name: strategy, pctDepth: parseBound('--depth', values['depth'], DEFAULT_PCT_DEPTH, 1, PCT_EXPECTED_DECISIONS + 1) };
  if (strategy === 'exhaustive') {
    const maxDeviations = parseBound('--max-deviations', values['max-deviations'], DEFAULT_EXHAUSTIVE_BOUNDS.maxDeviations, 0);
    return { name: strategy, exhaustiveBounds: { ...DEFAULT_EXHAUSTIVE_BOUNDS, maxDeviations } };
  }
  if (strategy === 'guided' && values['draw'] !== undefined) {
    const draw = stringOption(values['draw']);
    if (!(GUIDED_DRAWS as readonly (string | undefined)[]).includes(draw)) throw new UsageError(`unknown --draw "${String(draw)}" (known: ${GUIDED_DRAWS.join(', ')})`);
    return { name: strategy, guided: { ...DEFAULT_GUIDED_OPTIONS, draw: draw as GuidedDraw } };
  }
  return { name: strategy };
}

/**
 * The strategy as the command line names it after `--strategy`: its name, then each tuning option whose value is not
 * the default (`pct --depth 4`, `guided --draw uniform`), so a printed command reproduces the search.
 */
export function strategyCommandTail(strategy: Omit<StrategyOptions, 'seed'>): string {
  const tuning: string[] = [];
  if (strategy.pctDepth !== undefined && strategy.pctDepth !== DEFAULT_PCT_DEPTH) tuning.push(`--depth ${strategy.pctDepth}`);
  const maxDeviations = strategy.exhaustiveBounds?.maxDeviations;
  if (maxDeviations !== undefined && maxDeviations !== DEFAULT_EXHAUSTIVE_BOUNDS.maxDeviations) tuning.push(`--max-deviations ${maxDeviations}`);
  if (strategy.guided && strategy.guided.draw !== DEFAULT_GUIDED_OPTIONS.draw) tuning.push(`--draw ${strategy.guided.draw}`);
  return [strategy.name, ...tuning].join(' ');
}

function parseBound(flag: string, text: unknown, fallback: number, min: number, max = MAX_STRATEGY_BOUND): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${String(text)}"`);
  }
  return value;
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Options that spread a search over CI jobs (`--shard`) or threads (`--workers`), and the progress line. */
export const SCALE_OUT_OPTIONS = {
  shard: { type: 'string' },
  workers: { type: 'string' },
  'no-progress': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** `--shard i/n` (1 <= i <= n): run indexes r with r mod n = i - 1; undefined when absent. */
export function parseShard(text: unknown): Shard | undefined {
  if (text === undefined) return undefined;
  const match = typeof text === 'string' ? /^(\d+)\/(\d+)$/.exec(text) : null;
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!(index >= 1 && index <= count && count <= MAX_SHARD_COUNT)) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n <= ${MAX_SHARD_COUNT} (e.g. 2/3), not "${String(text)}"`);
  }
  return { index, count };
}

/** `--workers K` (default 1: this thread). */
export function parseWorkers(text: unknown): number {
  if (text === undefined) return 1;
  const workers = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || workers < 1 || workers > MAX_WORKERS) {
    throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, not "${String(text)}"`);
  }
  return workers;
}

/** `--shard` and `--workers` split runs by index: refused for a strategy that plans each run from the ones before. */
export function checkScaleOut(strategy: Omit<StrategyOptions, 'seed'>, shard: Shard | undefined, workers: number): void {
  const flag = shard ? '--shard' : workers > 1 ? '--workers' : undefined;
  if (flag === undefined || canSpreadRuns(createStrategy({ ...strategy, seed: 0 }))) return;
  throw new UsageError(`${flag} needs a strategy whose runs are independent; --strategy ${strategy.name} plans each run from the ones before it`);
}
