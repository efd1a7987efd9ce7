import { simulatedStreamsService } from '../../world/simulatedStreamsService.ts';
import { FakeHost, type FakeHostOptions } from './fakeHost.ts';
import { VirtualTime } from './virtualTime.ts';

/** Every stream path of the Durable Streams protocol. */
const STREAM_PATHS = /^\/v1\/stream\//;

/**
 * A fake host whose stream requests the simulated Durable Streams service answers (its HTTP facade, as the reference
 * server answers them, long-polls included), on the virtual time of that service's scheduler. Routes the test adds
 * for the agents server sit beside it.
 */
export function streamsServiceHost(longPollTimeoutMs: number, options: FakeHostOptions = {}) {
  const { sim, streams, facade } = simulatedStreamsService(longPollTimeoutMs);
  const host = new FakeHost(options);
  for (const method of ['GET', 'POST', 'PUT', 'HEAD']) host.on(method, STREAM_PATHS, (request) => facade.serve(request));
  return { host, streams, facade, time: new VirtualTime(sim.scheduler) };
}
