import { promiseHooks } from 'node:v8';
import type { RunSpec } from '../../scenarios/index.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';

/**
 * Promises created per run of `spec` (`explore`'s runs of seed 1): V8's promise hooks count every one the process
 * makes meanwhile, the runtime's, the world's and the kernel's (and a first run's one-time set-up). With
 * {@link asyncCallNanoseconds}, about what the `async` layers of a run cost.
 */
export async function promisesPerRun(spec: RunSpec, runs: number): Promise<{ readonly perRun: number; readonly perStep: number }> {
  const strategy = new RandomStrategy(1);
  let created = 0;
  let steps = 0;
  const stopCounting = promiseHooks.onInit(() => {
    created += 1;
  });
  try {
    for (let runIndex = 0; runIndex < runs; runIndex += 1) steps += (await runScenario(spec, strategy.sourceForRun(runIndex))).steps;
  } finally {
    stopCounting();
  }
  return { perRun: created / runs, perStep: created / steps };
}

/** Five `async` functions deep, each awaiting the next: the shape of a request through the runtime's clients. */
async function layers(depth: number): Promise<number> {
  return depth === 0 ? 0 : (await layers(depth - 1)) + 1;
}

/**
 * Nanoseconds one `async` call (its promise, and the await of it) costs in this process now: after runs, the actor
 * context's promise hook (sim/actors/) is on, as it is for every promise of a run.
 */
export async function asyncCallNanoseconds(calls = 300_000): Promise<number> {
  const depth = 5;
  for (let warm = 0; warm < 10_000; warm += 1) await layers(depth);
  const started = performance.now();
  for (let call = 0; call < calls; call += depth + 1) await layers(depth);
  return ((performance.now() - started) * 1e6) / calls;
}
