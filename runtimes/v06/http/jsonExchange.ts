import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { ServiceError } from './ServiceError.ts';

/** What one exchange with a JSON service answered. */
export interface JsonAnswer {
  readonly status: number;
  /** The body parsed as JSON; undefined when there is none or it is not JSON. */
  readonly body: unknown;
}

/** One request to a JSON service. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  /** Sent as `authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  readonly signal?: AbortSignal;
}

/**
 * Sends one JSON request with the process's `fetch` and reads the whole answer. Every HTTP status is an answer; only a
 * failed connection or an abort rejects, as `fetch` itself does.
 */
export async function jsonExchange(fetch: FetchFunction, request: JsonRequest): Promise<JsonAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.bearerToken !== undefined) headers['authorization'] = `Bearer ${request.bearerToken}`;
  const response = await fetch(request.url, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: parseJson(text) };
}

/** The refusal an answer stands for: the agents server's error code when the body has one. */
export function refusal(answer: JsonAnswer, what: string): ServiceError {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${answer.status}`;
  const message = typeof error?.message === 'string' ? error.message : `${what} answered ${answer.status}`;
  return new ServiceError(answer.status, code, message);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Plain-text answers (a load balancer's 503, say) carry no JSON; the status says enough.
    return undefined;
  }
}
