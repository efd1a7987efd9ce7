import { runLoop } from '../../../sim/run/runLoop.ts';
import type { SimContext } from '../../../sim/run/SimContext.ts';
import { DEFAULT_FAULT_OPTIONS, type FaultOptions } from '../../../world/faults/FaultOptions.ts';
import type { DirectAnswer } from '../../../world/network/HostNetwork.ts';
import { SERVICE_ORIGINS, World, type WorldOptions } from '../../../world/World.ts';
import { makeSim, track } from '../simHelpers.ts';

/**
 * A simulated world with `faults` enabled, one host process, and helpers to send its requests and let time pass;
 * `switches` sets world switches' options (`leaseStore`, ...) over the defaults.
 */
export function worldFixture(
  faults: readonly string[],
  script: readonly number[] = [],
  faultOptions: FaultOptions = DEFAULT_FAULT_OPTIONS,
  switches: Partial<Pick<WorldOptions, 'leaseStore' | 'writeTokens'>> = {},
) {
  const sim: SimContext = makeSim(script);
  const world = new World(sim, {
    faults: new Set(faults),
    faultOptions,
    resumeOffsetSource: 'none',
    leaseTtlMs: 30_000,
    longPollTimeoutMs: 20_000,
    chat: { honorIdempotencyKeys: false },
    ...switches,
  });
  const process = world.newProcess('host#1');
  const network = world.networkFor(process);
  /** Sends a request from the host to Durable Streams (`path` under its origin), tracked, without awaiting it. */
  const streams = (method: string, path: string, body?: string) =>
    track<DirectAnswer>(
      network.transport({ method, url: `${SERVICE_ORIGINS.durableStreams}${path}`, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) }),
    );
  /** Runs the world until virtual time `untilMs` (a marker task there makes time pass even when nothing else runs). */
  const runUntil = (untilMs: number) => {
    sim.scheduler.schedule(Math.max(0, untilMs - sim.scheduler.nowMs), 'test', 'time passes', () => {});
    return runLoop(sim.scheduler, { horizonMs: untilMs, maxSteps: 10_000 });
  };
  const kinds = (kind: string) => sim.trace.events.filter((event) => event.kind === kind);
  return { sim, world, process, network, streams, runUntil, kinds };
}
