import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import type { AnnotationValue, HostContext } from '../../../protocol/host/HostContext.ts';
import { NEXT_OFFSET_HEADER, UP_TO_DATE_HEADER } from '../../../protocol/streams/streamsProtocol.ts';
import { V04_SWITCHES, type V04Config } from '../../../runtimes/v04/config.ts';
import { createV04Environment, type V04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { abortReason } from '../../../world/http/abortReason.ts';
import { errorAnswer, jsonAnswer } from '../../../world/http/answers.ts';
import { fetchOver } from '../../../world/http/fetchOver.ts';
import { bodyText } from '../../../world/http/messageBody.ts';
import { simRequest, type SimRequest } from '../../../world/http/SimRequest.ts';
import type { SimResponse } from '../../../world/http/SimResponse.ts';

/** Base URLs of the fake services: distinct origins, so a request to the wrong service finds no route. */
export const FAKE_URLS = { durableStreams: 'http://durable-streams.fake', agentsServer: 'http://agents.fake' } as const;

/** What a route answers a request with: an answer, or a promise of one (which may never settle, or reject). */
export type Responder = (request: SimRequest) => SimResponse | Promise<SimResponse>;

/** A request as the fake services received it, comparable with `toEqual` whichever transport sent it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  /** Path and query, e.g. `/v1/stream/shared/digest?offset=-1`: what most assertions look at. */
  readonly target: string;
  /** Lower-case names, in name order. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text; undefined when the request had none. */
  readonly body: string | undefined;
}

export interface Annotation {
  readonly kind: string;
  readonly detail: { readonly [key: string]: AnnotationValue };
}

export interface FakeHostOptions {
  /** The runtime's switch values; the v0.4 defaults for those not named. */
  readonly config?: Partial<V04Config>;
  readonly handlers?: ReadonlyMap<string, EntityHandler>;
}

interface Route {
  readonly method: string;
  readonly path: string | RegExp;
  readonly respond: Responder;
}

const PROCESS_NAME = 'host#1';

/**
 * More requests than any test here sends. A runtime that loops on answers the fake gives at once (no scheduler step
 * between them) would starve the run loop's microtask drain and hang the test; past this budget the fake refuses the
 * connection instead, so such a loop ends and the test fails on what it asserts.
 */
const MAX_REQUESTS = 1_000;

/**
 * A {@link HostContext} whose services are a small scripted router: method + path → answer. Both of the host's ways
 * out reach the same router, built as the simulated network builds requests (`simRequest` for the direct transport,
 * `fetchOver` for `fetch`), so a route cannot tell the transports apart, and every request is recorded in the shape
 * the services would see it. Annotations are recorded too. There is no network delay and no clock: a route answers in
 * the caller's microtasks unless its responder waits.
 */
export class FakeHost {
  readonly requests: ReceivedRequest[] = [];
  readonly annotations: Annotation[] = [];
  /** Aborting it is the platform's SIGTERM. */
  readonly sigterm = new AbortController();
  readonly context: HostContext;
  /** Newest first. */
  private readonly routes: Route[] = [];

  constructor(options: FakeHostOptions = {}) {
    const serve = (request: SimRequest): Promise<SimResponse> => this.serve(request);
    this.context = {
      processName: PROCESS_NAME,
      fetch: fetchOver(serve, PROCESS_NAME),
      transport: async (exchange) => {
        const answer = await serve(simRequest({ ...exchange, peer: PROCESS_NAME }));
        return { status: answer.status, headers: answer.headers, body: bodyText(answer) };
      },
      urls: FAKE_URLS,
      env: {},
      // As a run hands them over: every switch of the runtime has a value, by switch name (`streamReconnect` is
      // `stream-reconnect`).
      config: {
        ...Object.fromEntries(V04_SWITCHES.map((definition) => [definition.name, definition.defaultValue])),
        ...Object.fromEntries(Object.entries(options.config ?? {}).map(([field, value]) => [field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`), value])),
      },
      signal: this.sigterm.signal,
      handlers: options.handlers ?? new Map(),
      annotate: (kind, detail) => void this.annotations.push({ kind, detail: detail ?? {} }),
    };
  }

  /**
   * Answers `method` requests whose path is `path` (or matches it). The route added last wins among those that match,
   * so a test can override one route of a prepared host.
   */
  on(method: string, path: string | RegExp, respond: Responder): this {
    this.routes.unshift({ method, path, respond });
    return this;
  }

  /** The v0.4 runtime's environment in this host, built as a host process builds it. */
  environment(): V04Environment {
    return createV04Environment(this.context);
  }

  /** The requests whose path starts with `pathPrefix`, as `METHOD target` lines. */
  sent(pathPrefix = '/'): string[] {
    return this.requests.filter((request) => request.target.startsWith(pathPrefix)).map((request) => `${request.method} ${request.target}`);
  }

  /** The annotation kinds in order. */
  kinds(): string[] {
    return this.annotations.map((annotation) => annotation.kind);
  }

  private async serve(request: SimRequest): Promise<SimResponse> {
    // As the simulated network does: an aborted request is never delivered.
    if (request.signal?.aborted) throw abortReason(request.signal);
    if (this.requests.length >= MAX_REQUESTS) throw new TypeError(`fake host: more than ${MAX_REQUESTS} requests, a loop?`);
    this.requests.push(received(request));
    const route = this.routes.find((candidate) => candidate.method === request.method && matches(candidate.path, request.url.pathname));
    // Answered, not thrown: the runtime must see it as it would see any refusal, and the test can assert it.
    if (!route) return errorAnswer(501, 'FAKE_HOST_NO_ROUTE', `no route for ${request.method} ${request.url.pathname}`);
    return route.respond(request);
  }
}

function matches(path: string | RegExp, pathname: string): boolean {
  return typeof path === 'string' ? path === pathname : path.test(pathname);
}

function received(request: SimRequest): ReceivedRequest {
  const headers = Object.fromEntries([...request.headers].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    method: request.method,
    url: request.url.href,
    target: `${request.url.pathname}${request.url.search}`,
    headers,
    body: request.body === undefined ? undefined : bodyText(request),
  };
}

/** Answers with `answers` in turn, then with the last one again and again. */
export function inTurn(...answers: readonly SimResponse[]): Responder {
  if (answers.length === 0) throw new Error('inTurn needs at least one answer');
  let next = 0;
  return () => answers[Math.min(next++, answers.length - 1)]!;
}

/** Never answers: the request stays on the wire until its signal aborts (a request without one, forever). */
export const held: Responder = (request) =>
  new Promise<SimResponse>((_, reject) => {
    request.signal?.addEventListener('abort', () => reject(abortReason(request.signal!)), { once: true });
  });

/** A read of a JSON stream as the Durable Streams service answers it: the items, one next offset for all of them. */
export function streamAnswer(items: readonly unknown[], nextOffset: string): SimResponse {
  return jsonAnswer(200, items, { [NEXT_OFFSET_HEADER]: nextOffset, [UP_TO_DATE_HEADER]: 'true' });
}

/** A plain-text answer, as the Durable Streams service words its refusals (`Stream not found`). */
export function textAnswer(status: number, text: string): SimResponse {
  return { status, headers: { 'content-type': 'text/plain' }, body: text };
}

export { emptyAnswer, errorAnswer, jsonAnswer } from '../../../world/http/answers.ts';
