import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CheckoutError, compareCheckouts, loadCheckout } from '../../bench/throughput/compareCheckouts.ts';

const THIS_CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const FIXES = { switches: { wiring: 'retry', offset: 'durable' }, faults: ['redeploy', 'preload-not-found'] };

describe('comparing two checkouts in one process (npm run bench -- --against DIR)', () => {
  it('runs the same runs on both sides: this checkout against itself takes equal steps', async () => {
    const [here, there] = [await loadCheckout(THIS_CHECKOUT, FIXES), await loadCheckout(THIS_CHECKOUT, FIXES)];
    const [mine, theirs] = await compareCheckouts([here!, there!], { runs: 4, warmupRuns: 1, chunkRuns: 2 });
    expect(mine!.steps).toBeGreaterThan(0);
    expect(theirs!.steps).toBe(mine!.steps);
    expect(mine!.runsPerSecond).toBeGreaterThan(0);
    expect(theirs!.runsPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it('a different configuration makes different runs, which the step totals show', async () => {
    const fixes = await loadCheckout(THIS_CHECKOUT, FIXES);
    const v04 = await loadCheckout(THIS_CHECKOUT, { switches: {}, faults: FIXES.faults });
    const [a, b] = await compareCheckouts([fixes, v04], { runs: 6, warmupRuns: 0 });
    expect(a!.steps).not.toBe(b!.steps);
  }, 60_000);

  it('refuses a folder that is not a checkout of this project, in one line', async () => {
    await expect(loadCheckout('no/such/folder', FIXES)).rejects.toThrow(new CheckoutError('--against no/such/folder: no such folder'));
    await expect(loadCheckout(`${THIS_CHECKOUT}/docs`, FIXES)).rejects.toThrow(/not a checkout of this project \(it has no sim\/strategies\/RandomStrategy\.ts\)$/);
  });
});
