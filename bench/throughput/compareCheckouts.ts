import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TURN_RUNS } from './measureSweep.ts';

/** The modules of a checkout the comparison runs, by path inside it: what every revision since the trace budget has. */
const ENTRY_POINTS = ['sim/strategies/RandomStrategy.ts', 'scenarios/config/runSpecFor.ts', 'scenarios/runScenario.ts'] as const;

/** One checkout's sweep of one configuration: `explore`'s runs (random strategy, seed 1), one at a time. */
export interface CheckoutSweep {
  /** The checkout's folder. */
  readonly dir: string;
  /** Runs run `runIndex` of the timed sweep (warm-up runs under another seed); returns its scheduler steps. */
  run(runIndex: number, warmUp: boolean): Promise<number>;
}

/** A configuration to compare: the daily-digest scenario with these switches and fault kinds. */
export interface ComparedConfiguration {
  readonly switches: Readonly<Record<string, string>>;
  readonly faults: readonly string[];
}

/** Thrown for a folder that is not a loadable checkout of this project; the message is one line. */
export class CheckoutError extends Error {
  override name = 'CheckoutError';
}

interface CheckoutModules {
  readonly RandomStrategy: new (seed: number) => { sourceForRun(runIndex: number): unknown };
  readonly runSpecFor: (request: { scenario: string; switches: Readonly<Record<string, string>>; faults: readonly string[] }) => unknown;
  readonly runScenario: (spec: unknown, source: unknown) => Promise<{ readonly steps: number }>;
}

/**
 * Loads another checkout of this project into this process (its own kernel, world, runtime and models; the
 * dependencies its folder resolves), so that its runs and this checkout's take turns in one process: the one
 * comparison of two revisions that load on a shared machine does not skew. A folder without the entry points, or whose
 * modules do not load, is refused with a {@link CheckoutError}.
 */
export async function loadCheckout(dir: string, configuration: ComparedConfiguration): Promise<CheckoutSweep> {
  const root = resolve(dir);
  if (!existsSync(root)) throw new CheckoutError(`--against ${dir}: no such folder`);
  const missing = ENTRY_POINTS.find((path) => !existsSync(`${root}/${path}`));
  if (missing !== undefined) throw new CheckoutError(`--against ${dir}: not a checkout of this project (it has no ${missing})`);
  let modules: CheckoutModules;
  try {
    const [strategy, spec, run] = await Promise.all(ENTRY_POINTS.map((path) => import(pathToFileURL(`${root}/${path}`).href)));
    modules = { RandomStrategy: strategy.RandomStrategy, runSpecFor: spec.runSpecFor, runScenario: run.runScenario };
  } catch (error) {
    throw new CheckoutError(`--against ${dir}: its modules do not load (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); is its node_modules installed?`);
  }
  const spec = modules.runSpecFor({ scenario: 'daily-digest', switches: configuration.switches, faults: configuration.faults });
  const timed = new modules.RandomStrategy(1);
  const warm = new modules.RandomStrategy(999);
  return {
    dir: root,
    run: async (runIndex, warmUp) => (await modules.runScenario(spec, (warmUp ? warm : timed).sourceForRun(runIndex))).steps,
  };
}

/** What one side of a comparison did over the timed runs. */
export interface CheckoutFigures {
  readonly runsPerSecond: number;
  /** Scheduler steps of all timed runs: equal on both sides when the two revisions make the same runs. */
  readonly steps: number;
}

/**
 * Times the same runs of each sweep, taking turns in chunks (the side that goes first alternates), after `warmupRuns`
 * each: a burst of load falls on both sides alike, so their ratio holds on a shared machine.
 */
export async function compareCheckouts(sweeps: readonly CheckoutSweep[], options: { readonly runs: number; readonly warmupRuns: number; readonly chunkRuns?: number }): Promise<CheckoutFigures[]> {
  const chunkRuns = options.chunkRuns ?? TURN_RUNS;
  const totals = sweeps.map(() => ({ wallMs: 0, steps: 0 }));
  for (const sweep of sweeps) for (let runIndex = 0; runIndex < options.warmupRuns; runIndex += 1) await sweep.run(runIndex, true);
  for (let from = 0, turn = 0; from < options.runs; from += chunkRuns, turn += 1) {
    const to = Math.min(options.runs, from + chunkRuns);
    for (let offset = 0; offset < sweeps.length; offset += 1) {
      const index = (turn + offset) % sweeps.length;
      const started = performance.now();
      for (let runIndex = from; runIndex < to; runIndex += 1) totals[index]!.steps += await sweeps[index]!.run(runIndex, false);
      totals[index]!.wallMs += performance.now() - started;
    }
  }
  return totals.map(({ wallMs, steps }) => ({ runsPerSecond: (options.runs * 1000) / wallMs, steps }));
}
