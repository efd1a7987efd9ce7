import type { HostContext } from '../../../protocol/host/HostContext.ts';
import type { RuntimeUnderTest } from '../../../protocol/host/RuntimeUnderTest.ts';
import { V04_SWITCHES, type V04Config } from '../../../runtimes/v04/config.ts';
import type { SwitchValues } from '../../../scenarios/config/SwitchValues.ts';
import { launchHost } from '../../../scenarios/hosts/launchHost.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { World, type WorldOptions } from '../../../world/World.ts';
import { makeSim } from '../../world/simHelpers.ts';
import { VirtualTime } from './virtualTime.ts';

/** How long the simulated service holds a long-poll with nothing to say. */
const LONG_POLL_TIMEOUT_MS = 20_000;
const LEASE_TTL_MS = 30_000;

/**
 * The real simulated world with one host process in it, and that process's {@link HostContext} built by
 * `launchHost` exactly as a run builds it (its network, the services' base URLs, annotations into the trace). The
 * runtime is not started: a test drives the runtime's parts in the host itself, with {@link VirtualTime} on the
 * world's scheduler. No faults are enabled; `world.arm` makes one fire. `config` holds switch values by switch name
 * (`wiring`, `stop-ack`); a {@link V04Config} field of one word is its switch's name. `worldSwitches` set switches of
 * the world (B8's `sharedLinks`).
 */
export function simulatedWorldHost(config: Partial<V04Config> | SwitchValues = {}, worldSwitches: Pick<WorldOptions, 'sharedLinks'> = {}) {
  const sim = makeSim();
  const world = new World(sim, {
    faults: new Set(),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    resumeOffsetSource: 'none',
    leaseTtlMs: LEASE_TTL_MS,
    longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
    chat: { honorIdempotencyKeys: false },
    ...worldSwitches,
  });
  let captured: HostContext | undefined;
  // A runtime that only keeps the context it is started with: the parts under test run in it.
  const capture: RuntimeUnderTest = {
    name: 'capture',
    summary: 'keeps its host context',
    switches: V04_SWITCHES,
    startHost: (host) => {
      captured = host;
      return { stopped: new Promise<void>(() => {}) };
    },
  };
  const process = world.newProcess('host#1');
  const launch = launchHost(sim, world, { runtime: capture, config: { ...config }, runnerId: 'runner-1', runnerLabel: 'test host', handlersFor: () => new Map() });
  process.run(() => launch(process, new AbortController().signal));
  return { sim, world, process, host: captured!, time: new VirtualTime(sim.scheduler) };
}
