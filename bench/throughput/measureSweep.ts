import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { runScenario } from '../../scenarios/runScenario.ts';

/** What one timed sweep did, per run and per step. */
export interface SweepFigures {
  readonly runsPerSecond: number;
  readonly stepsPerRun: number;
  readonly microsecondsPerStep: number;
  /** Virtual milliseconds simulated per wall-clock millisecond: how many times faster than real time a run is. */
  readonly simulatedPerWall: number;
}

/** Runs of one case in a row before the next case's turn, unless a caller says otherwise. */
export const TURN_RUNS = 25;

/** One sweep to time: a spec, and whether its runs follow the composed model and judge the properties. */
export interface SweepCase {
  readonly spec: RunSpec;
  /** Judge model conformance (the default) or leave it out, to price it. */
  readonly conformance?: boolean;
  /** Judge the properties (the default) or leave them out, to price them. */
  readonly properties?: boolean;
}

/** Options of {@link measureSweeps}. */
export interface MeasureSweepOptions {
  /** Timed runs per case. */
  readonly runs: number;
  /** Runs per case before the timed ones, under another seed, so the timed ones see a warm JIT and warm memos. */
  readonly warmupRuns: number;
  /** Runs of one case in a row before the next case's turn. */
  readonly chunkRuns?: number;
}

/**
 * Times `explore`'s sweep (random strategy, seed 1, no shrinking: the runs `explore --runs N` makes) of each case. The
 * cases take turns in chunks of runs, so that on a shared machine a burst of load falls on all of them alike and their
 * ratios stay true even when the absolute figures do not.
 */
export async function measureSweeps(cases: readonly SweepCase[], options: MeasureSweepOptions): Promise<SweepFigures[]> {
  const chunkRuns = options.chunkRuns ?? TURN_RUNS;
  const totals = cases.map(() => ({ wallMs: 0, steps: 0, simulatedMs: 0 }));
  const runChunk = async (index: number, strategy: RandomStrategy, from: number, to: number, timed: boolean): Promise<void> => {
    const { spec, conformance = true, properties = true } = cases[index]!;
    const total = totals[index]!;
    const started = performance.now();
    for (let runIndex = from; runIndex < to; runIndex += 1) {
      const result = await runScenario(spec, strategy.sourceForRun(runIndex), { conformance, properties });
      if (!timed) continue;
      total.steps += result.steps;
      total.simulatedMs += result.endMs;
    }
    if (timed) total.wallMs += performance.now() - started;
  };
  for (let index = 0; index < cases.length; index += 1) await runChunk(index, new RandomStrategy(999), 0, options.warmupRuns, false);
  const timedStrategy = new RandomStrategy(1);
  for (let from = 0; from < options.runs; from += chunkRuns) {
    const to = Math.min(options.runs, from + chunkRuns);
    for (let index = 0; index < cases.length; index += 1) await runChunk(index, timedStrategy, from, to, true);
  }
  return totals.map(({ wallMs, steps, simulatedMs }) => ({
    runsPerSecond: (options.runs * 1000) / wallMs,
    stepsPerRun: steps / options.runs,
    microsecondsPerStep: (wallMs * 1000) / steps,
    simulatedPerWall: simulatedMs / wallMs,
  }));
}
