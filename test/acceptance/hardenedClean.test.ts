import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { ALL_FAULTS, digestSpec, HARDENED } from './helpers.ts';

/**
 * The hardened preset under every fault kind, at full strength. It is not clean there: during a rolling deploy the
 * old and the new process of one runner both read its wake stream, and the old one, reconnecting from its own offset,
 * is served a wake the new one already processed (a `wake-replay`; its claim is answered NO_PENDING_WORK, so nothing
 * is done twice). The finding is kept here as the regression base: if a change makes it go away or brings another
 * property first, this test says so.
 */
describe('the hardened preset under --faults all', () => {
  it('its first finding in 1,000 runs is a wake replayed to the old process of a rolling deploy', async () => {
    const report = await explore({ spec: digestSpec(HARDENED, ALL_FAULTS), maxRuns: 1000, seed: 4625, properties: propertyNames(), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('wake-replay');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toContain('rolling-deploy');
  });
});
