import type { SimContext } from '../../sim/run/SimContext.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import type { SimResponse } from '../../world/http/SimResponse.ts';
import { drain } from '../world/simHelpers.ts';
import { simulatedStreamsService } from '../world/simulatedStreamsService.ts';

/** One HTTP request of a generated sequence, before it is addressed to a side. */
export interface WireRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/stream/run1/a?offset=-1`. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What a side answered: a response read to the end, or the error `fetch` rejected with. */
export type Raw =
  | { readonly kind: 'response'; readonly status: number; readonly headers: ReadonlyMap<string, string>; readonly body: Uint8Array }
  | { readonly kind: 'rejected'; readonly error: unknown };

/** A request on its way: `finish` waits for the answer (driving virtual time, for the facade). */
export interface InFlight {
  finish(): Promise<Raw>;
}

/** A server under comparison. */
export interface Side {
  readonly label: 'reference' | 'facade';
  /** The origin requests are sent to (stripped from `Location` before comparing). */
  readonly origin: string;
  start(request: WireRequest, signal?: AbortSignal): InFlight;
  /** Lets a started request reach the point where it is held (a long-poll registered), before another is sent. */
  settle(): Promise<void>;
}

async function read(response: Response): Promise<Raw> {
  const headers = new Map<string, string>();
  response.headers.forEach((value, name) => headers.set(name, value));
  return { kind: 'response', status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
}

/** A plain answer as `read` would see it through `fetch`: no body reads as no bytes. */
function readPlain(response: SimResponse): Raw {
  const { body } = response;
  const bytes = body === null ? new Uint8Array(0) : typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { kind: 'response', status: response.status, headers: new Map(Object.entries(response.headers)), body: bytes };
}

/** identity: the reference gzips large answers, which the facade never does (docs/fidelity.md). */
const headersOf = (request: WireRequest): Record<string, string> => ({ 'accept-encoding': 'identity', ...request.headers });

function init(request: WireRequest, signal: AbortSignal | undefined): RequestInit {
  return { method: request.method, headers: headersOf(request), body: request.body, signal };
}

const rejected = (error: unknown): Raw => ({ kind: 'rejected', error });

/** The real `@durable-streams/server`, over real `fetch` on loopback. */
export function referenceSide(origin: string): Side {
  return {
    label: 'reference',
    origin,
    start: (request, signal) => {
      const pending = fetch(origin + request.target, init(request, signal)).then(read, rejected);
      return { finish: () => pending };
    },
    // Real time: give the server a moment to read the request and register the long-poll.
    settle: () => new Promise((resolve) => setTimeout(resolve, 5)),
  };
}

/** The facade over a fresh simulated service, its clock the simulation's scheduler. */
export interface FacadeSide extends Side {
  readonly sim: SimContext;
}

/**
 * How a facade side sends its requests: `fetch`, as WHATWG `Request`s to `handle` (what `@durable-streams/client`
 * does); `plain`, as `SimRequest`s to `serve` (the in-process transport).
 */
export type FacadeTransport = 'fetch' | 'plain';

/** Origin of the facade's requests: any absolute URL works; only `Location` shows it. */
export const FACADE_ORIGIN = 'http://durable-streams.sim';

/** Most scheduler steps one request may take (a held long-poll takes one: its timeout). */
const MAX_STEPS_PER_REQUEST = 100;

export function facadeSide(longPollTimeoutMs: number, transport: FacadeTransport = 'fetch'): FacadeSide {
  const { sim, facade } = simulatedStreamsService(longPollTimeoutMs);
  const answer = (request: WireRequest, signal: AbortSignal | undefined): Promise<Raw> => {
    const url = FACADE_ORIGIN + request.target;
    if (transport === 'fetch') return facade.handle(new Request(url, init(request, signal))).then(read, rejected);
    const plain = simRequest({ method: request.method, url, headers: headersOf(request), body: request.body, signal, peer: 'test' });
    return facade.serve(plain).then(readPlain, rejected);
  };
  return {
    label: 'facade',
    origin: FACADE_ORIGIN,
    sim,
    start: (request, signal) => {
      let outcome: Raw | undefined;
      const answered = answer(request, signal);
      void answered.then((raw) => (outcome = raw));
      return {
        finish: async () => {
          // Virtual time moves only while an answer is outstanding, one scheduler step at a time.
          await drain();
          for (let steps = 0; outcome === undefined; steps += 1) {
            if (steps >= MAX_STEPS_PER_REQUEST || sim.scheduler.step() === undefined) throw new Error(`facade never answered ${request.method} ${request.target}`);
            await drain();
          }
          return outcome;
        },
      };
    },
    settle: drain,
  };
}
