import { sweep } from '../../sim/explore/sweep.ts';
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

/** Options of {@link measureSweep}. */
export interface MeasureSweepOptions {
  readonly runs: number;
  /** Runs before the timed ones, under another seed, so the timed ones see a warm JIT and warm memos. */
  readonly warmupRuns: number;
  /** Judge model conformance (the default) or leave it out, to price it. */
  readonly conformance?: boolean;
}

/**
 * Times `explore`'s sweep (random strategy, seed 1, no shrinking) of `spec`: wall time over the timed runs, the
 * scheduler steps they took, and the virtual time they covered.
 */
export async function measureSweep(spec: RunSpec, options: MeasureSweepOptions): Promise<SweepFigures> {
  const conformance = options.conformance ?? true;
  const go = async (runs: number, seed: number): Promise<{ wallMs: number; steps: number; simulatedMs: number }> => {
    let steps = 0;
    let simulatedMs = 0;
    const started = performance.now();
    await sweep({
      maxRuns: runs,
      strategy: new RandomStrategy(seed),
      run: (choices) => runScenario(spec, choices, { conformance }),
      isFinding: () => false,
      onRun: (_, result) => {
        steps += result.steps;
        simulatedMs += result.endMs;
      },
    });
    return { wallMs: performance.now() - started, steps, simulatedMs };
  };
  await go(options.warmupRuns, 999);
  const { wallMs, steps, simulatedMs } = await go(options.runs, 1);
  return {
    runsPerSecond: (options.runs * 1000) / wallMs,
    stepsPerRun: steps / options.runs,
    microsecondsPerStep: (wallMs * 1000) / steps,
    simulatedPerWall: simulatedMs / wallMs,
  };
}
