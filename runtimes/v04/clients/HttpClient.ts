import type { HostContext } from '../../../protocol/host/HostContext.ts';
import { HttpStatusError } from '../errors.ts';

/** How the runtime sends its requests: the host's direct transport (no WHATWG objects) or its `fetch`. */
export type TransportKind = 'direct' | 'fetch';

/** An answer as the runtime's clients read it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Options of one request. */
export interface RequestOptions {
  /** A JSON body, sent with `content-type: application/json`. */
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * The runtime's one HTTP door: sends a request over the host's network, by the direct transport or by `fetch` (the
 * same request either way; the services observe the same thing). Every status is an answer; a failed connection or an
 * abort rejects, as `fetch` does.
 */
export class HttpClient {
  constructor(
    private readonly host: HostContext,
    private readonly transport: TransportKind,
  ) {}

  async request(method: string, url: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    // `Object.assign`, not a spread, for an object names are added to next: V8 makes a spread copy slow to extend.
    const headers: Record<string, string> = Object.assign({}, options.headers);
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    // Optional fields set only when present (exact optional types); assigned, not spread: this is every request's path.
    const exchange: { method: string; url: string; headers: Record<string, string>; body?: string; signal?: AbortSignal } = { method, url, headers };
    if (body !== undefined) exchange.body = body;
    if (options.signal) exchange.signal = options.signal;
    if (this.transport === 'direct') {
      const answer = await this.host.transport(exchange);
      return { status: answer.status, headers: answer.headers, text: answer.body };
    }
    const { url: _url, ...init } = exchange;
    const response = await this.host.fetch(url, init);
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      answerHeaders[name] = value;
    });
    return { status: response.status, headers: answerHeaders, text: await response.text() };
  }
}

/** The error of a failed answer: the JSON `{ error: { code, message } }` of the agents server, or the body's text. */
export function answerError(answer: HttpAnswer, fallbackCode: string): HttpStatusError {
  try {
    const parsed = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    if (parsed.error && typeof parsed.error.code === 'string') {
      return new HttpStatusError(answer.status, parsed.error.code, typeof parsed.error.message === 'string' ? parsed.error.message : parsed.error.code);
    }
  } catch {
    // Not JSON: the Durable Streams service answers plain sentences.
  }
  return new HttpStatusError(answer.status, fallbackCode, answer.text || `HTTP ${answer.status}`);
}

/** The parsed JSON body of an answer. */
export function jsonOf<T>(answer: HttpAnswer): T {
  return JSON.parse(answer.text) as T;
}
