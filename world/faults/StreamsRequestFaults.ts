import type { SimContext } from '../../sim/run/SimContext.ts';
import type { SimRequest } from '../http/SimRequest.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { FaultDecision } from './PreloadFaults.ts';

/** The 5xx statuses a `server-error` answers with, and their words; which one is a choice (the first is the ordinary one). */
const SERVER_ERRORS = [
  [500, 'Internal server error'],
  [502, 'Bad gateway'],
  [503, 'Service unavailable'],
  [504, 'Gateway timeout'],
] as const;

/**
 * Answers of Durable Streams that refuse a request before it is served, as a loaded or failing service does:
 * `server-error` (a 5xx, plain text, as the reference server words its errors) and `rate-limit` (429 with a
 * `Retry-After` in seconds). `@durable-streams/client` retries both with backoff; the runtime's own client does what
 * it does with them. Nothing is served: a refused append stores nothing, a refused read reads nothing.
 */
export class StreamsRequestFaults {
  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultOptions,
    private readonly fires: FaultDecision,
  ) {}

  /** The refusal of `request`, or undefined to serve it. */
  refuse(request: SimRequest): SimResponse | undefined {
    const where = { peer: request.peer, method: request.method, path: request.url.pathname };
    if (this.fires('server-error', this.options.serverErrorPercent, 'server error')) {
      const [status, words] = SERVER_ERRORS[this.sim.choices.choose(SERVER_ERRORS.length, 'server error status', { kind: 'count', fault: 'server-error' })]!;
      this.sim.trace.record('durable-streams', 'fault', { kind: 'server-error', ...where, status });
      return { status, headers: { 'content-type': 'text/plain' }, body: words };
    }
    if (this.fires('rate-limit', this.options.rateLimitPercent, 'rate limit')) {
      const retryAfterSeconds = this.options.rateLimitRetryAfterSeconds;
      this.sim.trace.record('durable-streams', 'fault', { kind: 'rate-limit', ...where, status: 429, retryAfterSeconds });
      return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(retryAfterSeconds) }, body: 'Too many requests' };
    }
    return undefined;
  }
}
