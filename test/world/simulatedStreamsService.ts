import type { StreamsClient } from '../../runtime/ports.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { StreamsHttpFacade } from '../../world/durable-streams/http/index.ts';
import { PullWakeSubscriptions } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import { schedulerClock } from '../../world/durable-streams/VirtualClock.ts';
import { makeSim } from './simHelpers.ts';

/** A fresh simulated Durable Streams service and its HTTP facade, on a fresh simulation's clock. */
export interface SimulatedStreamsService {
  readonly sim: SimContext;
  readonly streams: DurableStreamsService;
  readonly facade: StreamsHttpFacade;
  /** The service as the fast tier's `streams` port reaches it, without the network in between. */
  readonly port: StreamsClient;
}

export function simulatedStreamsService(longPollTimeoutMs: number): SimulatedStreamsService {
  const sim = makeSim();
  const streams = new DurableStreamsService(sim);
  // Wired as a simulated world wires it: the world's subscriptions own the registry the HTTP routes use.
  const subscriptions = new PullWakeSubscriptions(sim, streams, { leaseTtlMs: 30_000 });
  const facade = new StreamsHttpFacade({ streams, subscriptions: subscriptions.reference, clock: schedulerClock(sim.scheduler), longPollTimeoutMs });
  const port: StreamsClient = {
    read: async (path, offset) => streams.read(path, offset),
    readLive: (path, offset) => streams.readLive(path, offset, longPollTimeoutMs),
    append: async (path, value) => streams.append(path, value),
  };
  return { sim, streams, facade, port };
}
