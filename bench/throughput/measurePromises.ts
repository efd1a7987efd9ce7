import { promiseHooks } from 'node:v8';
import type { RunSpec } from '../../scenarios/index.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';

/**
 * Promises created per run of `spec` (`explore`'s runs of seed 1): V8's promise hooks count every one the process
 * makes meanwhile, the runtime's, the world's and the kernel's (and a first run's one-time set-up), the throwaway ones
 * an `await` makes included. With {@link promiseNanoseconds}, about what the promises of a run cost.
 */
export async function promisesPerRun(spec: RunSpec, runs: number): Promise<{ readonly perRun: number; readonly perStep: number }> {
  const strategy = new RandomStrategy(1);
  let steps = 0;
  const created = await countPromises(async () => {
    for (let runIndex = 0; runIndex < runs; runIndex += 1) steps += (await runScenario(spec, strategy.sourceForRun(runIndex))).steps;
  });
  return { perRun: created / runs, perStep: created / steps };
}

/** Promises the process creates while `body` runs, as V8's promise hooks see them. */
async function countPromises(body: () => Promise<unknown>): Promise<number> {
  let created = 0;
  const stopCounting = promiseHooks.onInit(() => {
    created += 1;
  });
  try {
    await body();
  } finally {
    stopCounting();
  }
  return created;
}

/**
 * `async` functions `depth` deep, each awaiting the next: the shape of a request through a runtime's clients, the
 * host network and a service, which is where a run's promises come from.
 */
async function chain(depth: number): Promise<number> {
  return depth === 0 ? 0 : (await chain(depth - 1)) + 1;
}

const CHAIN_DEPTH = 5;

/**
 * Nanoseconds a promise costs in this process now (made, settled, its continuation run), timed over `promises`
 * promises made by chains of `async` calls. Measured after runs, it includes the actor context's promise hook
 * (sim/actors/; on Node 20 and 22 `AsyncLocalStorage` follows promises with a hook), as every promise of a run pays it.
 */
export async function promiseNanoseconds(promises = 300_000): Promise<number> {
  // Counted, not assumed: V8 makes more promises for an `await` when a hook is on.
  const perChain = await countPromises(() => chain(CHAIN_DEPTH));
  const chains = Math.max(1, Math.ceil(promises / perChain));
  for (let warm = 0; warm < Math.min(chains, 10_000); warm += 1) await chain(CHAIN_DEPTH);
  const started = performance.now();
  for (let run = 0; run < chains; run += 1) await chain(CHAIN_DEPTH);
  return ((performance.now() - started) * 1e6) / (chains * perChain);
}
