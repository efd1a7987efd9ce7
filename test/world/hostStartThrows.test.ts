import { describe, expect, it } from 'vitest';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';

/** A runtime we did not write whose start throws in its first process only (say, a config it reads at start). */
function throwsInFirstProcess(): RuntimeUnderTest {
  let starts = 0;
  return {
    ...v04Runtime,
    startHost: (host) => {
      starts += 1;
      if (starts === 1) throw new Error('startHost exploded');
      return v04Runtime.startHost(host);
    },
  };
}

/** One whose async main fails in its first process: `stopped` rejects at once (an async start that threw). */
function mainRejectsInFirstProcess(): RuntimeUnderTest {
  let starts = 0;
  return {
    ...v04Runtime,
    startHost: (host) => {
      starts += 1;
      if (starts === 1) return { stopped: Promise.reject(new Error('runtime bug: config missing')) };
      return v04Runtime.startHost(host);
    },
  };
}

describe('a host whose start throws', () => {
  it('is a process that died of an error its own code never handled: uncaught-error, and the platform starts another', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource([]), { runtime: throwsInFirstProcess() });
    const exits = result.events.filter((event) => event.kind === 'process-exit');
    expect(exits[0]).toMatchObject({ actor: 'host#1', detail: { reason: 'crash', cause: 'uncaught-exception', error: expect.stringContaining('startHost exploded') } });
    expect(result.violations.filter((violation) => violation.property === 'uncaught-error').map((violation) => violation.message)).toEqual([expect.stringContaining('host#1')]);
    // The next process starts and serves the day: nothing else goes wrong.
    expect(result.events.some((event) => event.kind === 'process-start' && event.actor === 'host#2')).toBe(true);
    expect(result.violations.filter((violation) => violation.property !== 'uncaught-error')).toEqual([]);
  });

  it("whose main rejects (its stopped promise) dies of an unhandled rejection, with the error in its exit", async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource([]), { runtime: mainRejectsInFirstProcess() });
    const exits = result.events.filter((event) => event.kind === 'process-exit');
    expect(exits[0]).toMatchObject({ actor: 'host#1', detail: { reason: 'crash', cause: 'unhandled-rejection', error: expect.stringContaining('runtime bug: config missing') } });
    expect(result.violations.filter((violation) => violation.property === 'uncaught-error').map((violation) => violation.message)).toEqual([expect.stringContaining('runtime bug: config missing')]);
    expect(result.events.some((event) => event.kind === 'process-start' && event.actor === 'host#2')).toBe(true);
  });
});
