import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { V06_SWITCHES } from './config/v06Switches.ts';
import { V06Host } from './runner/V06Host.ts';

/**
 * A runtime shaped like `@electric-ax/agents-runtime` 0.6.x, written from semantics.md and the historical bugs
 * without sharing code with the v0.4-shaped one: the runner lifecycle as an XState machine, a claim actor per wake
 * event behind the same-stream claim guard of #4616, heartbeat-driven stream resets, the real
 * `@durable-streams/client` and `@durable-streams/state` over the process's `fetch`. Defects A and B (still in 0.6.3)
 * and O1 are switches. It reaches the world only over HTTP and the process's globals.
 */
export const v06Runtime: RuntimeUnderTest = {
  name: 'v0.6',
  summary: 'the wake path of agents-runtime 0.6.x (XState lifecycle, #4616 claim guard), with switches for defects A, B and O1',
  switches: V06_SWITCHES,
  startHost(host) {
    const v06Host = new V06Host(host);
    void v06Host.start();
    return { stopped: v06Host.stopped };
  },
};
