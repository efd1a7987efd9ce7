import { fetchRequestFrom, simResponseFromFetch } from '../../http/fetchAdapters.ts';
import type { FetchFunction, SimRequest, SimResponse } from '../../http/SimHttp.ts';
import type { DurableStreamsService } from '../DurableStreamsService.ts';
import { ReferenceSubscriptions } from '../ReferenceSubscriptions.ts';
import type { VirtualClock } from '../VirtualClock.ts';
import { handleStreamsRequest } from './handleStreamsRequest.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

/** The reference server's long-poll timeout, used when none is given. */
export const DEFAULT_LONG_POLL_TIMEOUT_MS = 30_000;

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

export type { FetchFunction } from '../../http/SimHttp.ts';

/**
 * The simulated Durable Streams service behind an HTTP interface: hand {@link fetch} to `@durable-streams/client`
 * (and through it to `@durable-streams/state`) and they talk to the in-memory service exactly as they would talk to
 * the reference server, without a socket, a real timer or a random number. Every request is answered in the caller's
 * own microtasks; only a held long-poll waits, on the virtual clock.
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

  /** Answers one request (see {@link handleStreamsRequest}). */
  handle(request: Request): Promise<Response> {
    return handleStreamsRequest(this.context, request);
  }

  /** Answers one request as a simulated service receives it. */
  async serve(request: SimRequest): Promise<SimResponse> {
    return simResponseFromFetch(await this.handle(fetchRequestFrom(request)));
  }

  /** A drop-in `fetch`: builds the `Request` (absolute URLs only) and answers it. */
  readonly fetch: FetchFunction = async (input, init) => this.handle(new Request(input, init));
}
