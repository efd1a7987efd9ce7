import type { SimContext } from '../../sim/run/SimContext.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { StreamsHttpFacade } from '../../world/durable-streams/http/index.ts';
import { ReferenceSubscriptions } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { schedulerClock } from '../../world/durable-streams/VirtualClock.ts';
import { makeSim } from './simHelpers.ts';

/** A fresh simulated Durable Streams service and its HTTP facade, on a fresh simulation's clock. */
export interface SimulatedStreamsService {
  readonly sim: SimContext;
  readonly streams: DurableStreamsService;
  readonly facade: StreamsHttpFacade;
}

export function simulatedStreamsService(longPollTimeoutMs: number): SimulatedStreamsService {
  const sim = makeSim();
  const streams = new DurableStreamsService(sim);
  // Wired as a simulated world wires it: the world's subscriptions are the registry the HTTP routes use.
  const clock = schedulerClock(sim.scheduler);
  const subscriptions = new ReferenceSubscriptions(streams, clock);
  const facade = new StreamsHttpFacade({ streams, subscriptions, clock, longPollTimeoutMs });
  return { sim, streams, facade };
}
