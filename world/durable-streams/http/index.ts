/**
 * The Durable Streams HTTP protocol over the simulated service. See {@link StreamsHttpFacade} and docs/fidelity.md.
 *
 * @packageDocumentation
 */
export { StreamsHttpFacade, DEFAULT_LONG_POLL_TIMEOUT_MS, FETCH_PEER, type FetchFunction, type StreamsHttpOptions } from './StreamsHttpFacade.ts';
export { handleStreamsRequest } from './handleStreamsRequest.ts';
export type { StreamsHttpContext } from './StreamsHttpContext.ts';
export { schedulerClock, type VirtualClock } from '../VirtualClock.ts';
