import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { V04_SWITCHES } from './config.ts';
import { v04LeaseRenewalPromise } from './leaseRenewalPromise.ts';
import { RuntimeHost } from './RuntimeHost.ts';
import { createV04Environment } from './V04Environment.ts';

/**
 * The runtime shaped like `@electric-ax/agents-runtime` 0.4.x, re-implemented from semantics.md with a switch for each
 * defect of bug report #4625 and each proposed fix. It reaches the world only through its host: HTTP to the agents
 * server and the Durable Streams service, and the process's clock and timers.
 */
export const v04Runtime: RuntimeUnderTest = {
  name: 'v0.4',
  summary: 'the wake path of agents-runtime 0.4.x, with switches for defects A and B and their fixes',
  switches: V04_SWITCHES,
  annotations: ['runner-lifecycle', 'wiring-chain'],
  leaseRenewal: v04LeaseRenewalPromise,
  startHost(host) {
    const runtimeHost = new RuntimeHost(createV04Environment(host), { runnerId: host.env['RUNNER_ID'] ?? 'runner-1', label: host.env['RUNNER_LABEL'] ?? 'runner' });
    void runtimeHost.start();
    return { stopped: runtimeHost.stopped };
  },
};
