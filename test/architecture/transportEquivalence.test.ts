import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { ALL_FAULTS, digestSpec } from '../acceptance/helpers.ts';

/** Everything a run recorded after its first event (which names the switches, so it differs by the transport itself). */
const afterStart = (events: readonly TraceEvent[]): string[] => events.slice(1).map((event) => JSON.stringify(event));

/**
 * The v0.4 runtime's direct transport is an optimisation: it sends the same requests as its `fetch` without building
 * WHATWG objects. It may stay only while the services observe exactly the same thing on the same choices: the same
 * observations, probes, annotations and steps, event for event, and the same verdicts.
 */
describe('the direct transport and fetch', () => {
  it.each([
    ['v0.4', {}],
    ['both fixes', { wiring: 'retry', offset: 'durable' }],
    ['the library tier', { streams: 'real' }],
  ])('%s: the same run, event for event, over 25 seeds with every fault', async (_name, switches) => {
    for (let index = 0; index < 25; index += 1) {
      const seed = runSeed(4625, index);
      const direct = await runScenario(digestSpec({ ...switches, transport: 'direct' }, ALL_FAULTS), new RandomChoiceSource(seed));
      const overFetch = await runScenario(digestSpec({ ...switches, transport: 'fetch' }, ALL_FAULTS), new RandomChoiceSource(seed));
      expect(afterStart(overFetch.events), `seed index ${index}`).toEqual(afterStart(direct.events));
      expect(overFetch.violations).toEqual(direct.violations);
      expect(overFetch.choices).toEqual(direct.choices);
    }
  });
});
