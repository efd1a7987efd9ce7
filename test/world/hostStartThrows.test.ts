import { describe, expect, it } from 'vitest';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';

/** v0.4 but for its first process, which starts as `first` says (a runtime we did not write, failing at start). */
function failingInFirstProcess(first: RuntimeUnderTest['startHost']): RuntimeUnderTest {
  let starts = 0;
  return {
    ...v04Runtime,
    startHost: (host) => {
      starts += 1;
      return starts === 1 ? first(host) : v04Runtime.startHost(host);
    },
  };
}

/** Its start throws (say, a config it reads at start). */
const throwsInFirstProcess = (): RuntimeUnderTest =>
  failingInFirstProcess(() => {
    throw new Error('startHost exploded');
  });

/** Its async main fails: `stopped` rejects at once (an async start that threw). */
const mainRejectsInFirstProcess = (): RuntimeUnderTest => failingInFirstProcess(() => ({ stopped: Promise.reject(new Error('runtime bug: config missing')) }));

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
