import type { SimContext } from '../../sim/run/SimContext.ts';
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

function init(request: WireRequest, signal: AbortSignal | undefined): RequestInit {
  // identity: the reference gzips large answers, which the facade never does (docs/fidelity.md).
  return { method: request.method, headers: { 'accept-encoding': 'identity', ...request.headers }, body: request.body, signal };
}

/** The real `@durable-streams/server`, over real `fetch` on loopback. */
export function referenceSide(origin: string): Side {
  return {
    label: 'reference',
    origin,
    start: (request, signal) => {
      const pending = fetch(origin + request.target, init(request, signal)).then(read, (error: unknown): Raw => ({ kind: 'rejected', error }));
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

/** Origin of the facade's requests: any absolute URL works; only `Location` shows it. */
export const FACADE_ORIGIN = 'http://durable-streams.sim';

/** Most scheduler steps one request may take (a held long-poll takes one: its timeout). */
const MAX_STEPS_PER_REQUEST = 100;

export function facadeSide(longPollTimeoutMs: number): FacadeSide {
  const { sim, facade } = simulatedStreamsService(longPollTimeoutMs);
  return {
    label: 'facade',
    origin: FACADE_ORIGIN,
    sim,
    start: (request, signal) => {
      let outcome: Raw | undefined;
      const answered = facade.handle(new Request(FACADE_ORIGIN + request.target, init(request, signal))).then(read, (error: unknown): Raw => ({ kind: 'rejected', error }));
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
