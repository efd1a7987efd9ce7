import type { FetchFunction } from '../../http/FetchFunction.ts';
import { fetchOver, serveFetchRequest } from '../../http/fetchOver.ts';
import type { SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import type { DurableStreamsService } from '../DurableStreamsService.ts';
import { ReferenceSubscriptions } from '../ReferenceSubscriptions.ts';
import type { VirtualClock } from '../VirtualClock.ts';
import { handleStreamsRequest } from './handleStreamsRequest.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

/** The reference server's long-poll timeout, used when none is given. */
export const DEFAULT_LONG_POLL_TIMEOUT_MS = 30_000;

/** The peer of requests that arrive through {@link StreamsHttpFacade.fetch}, or through `handle` without one. */
export const FETCH_PEER = 'fetch';

/** What the facade serves, and the time it runs on. */
export interface StreamsHttpOptions {
  readonly streams: DurableStreamsService;
  /**
   * The registry of HTTP-created subscriptions. In a simulated world pass `world.subscriptions.reference`, so the
   * facade and the world share one; by default the facade makes its own on `streams` and `clock`.
   */
  readonly subscriptions?: ReferenceSubscriptions;
  /** Virtual time: long-poll timeouts, leases, cursors and timestamps all come from it, never from the machine. */
  readonly clock: VirtualClock;
  /** How long a long-poll is held with nothing to say, in virtual milliseconds; 30 000 by default. */
  readonly longPollTimeoutMs?: number;
}

export type { FetchFunction } from '../../http/FetchFunction.ts';

/**
 * The simulated Durable Streams service behind an HTTP interface, answering as the reference server does without a
 * socket, a real timer or a random number. One server, two ways in: {@link serve} takes plain requests (the
 * in-process transport), and {@link fetch} (or {@link handle}) takes WHATWG ones, for `@durable-streams/client` and
 * `@durable-streams/state`; the second is an adapter over the first, so both are answered alike. Every request is
 * answered in the caller's own microtasks; only a held long-poll waits, on the virtual clock.
 */
export class StreamsHttpFacade {
  private readonly context: StreamsHttpContext;

  constructor(options: StreamsHttpOptions) {
    this.context = {
      streams: options.streams,
      subscriptions: options.subscriptions ?? new ReferenceSubscriptions(options.streams, options.clock),
      clock: options.clock,
      longPollTimeoutMs: options.longPollTimeoutMs ?? DEFAULT_LONG_POLL_TIMEOUT_MS,
    };
  }

  /** Answers one request (see {@link handleStreamsRequest}); rejects only when its signal aborts. */
  serve(request: SimRequest): Promise<SimResponse> {
    return handleStreamsRequest(this.context, request);
  }

  /** Answers one WHATWG request, as {@link serve} answers it plain. */
  handle(request: Request, peer: string = FETCH_PEER): Promise<Response> {
    return serveFetchRequest((plain) => this.serve(plain), request, peer);
  }

  /** A drop-in `fetch` (absolute URLs only) over {@link serve}; its requests come from {@link FETCH_PEER}. */
  readonly fetch: FetchFunction = fetchOver((request) => this.serve(request), FETCH_PEER);
}
