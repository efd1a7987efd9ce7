import type { SimHeaders, SimRequest, SimResponse } from './SimHttp.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A header of a request, or undefined. */
export function headerOf(request: SimRequest, name: string): string | undefined {
  return request.headers.get(name.toLowerCase());
}

/** The body of a request or answer as text ('' when there is none). */
export function bodyText(body: Uint8Array | string | null | undefined): string {
  if (body === null || body === undefined) return '';
  return typeof body === 'string' ? body : decoder.decode(body);
}

/** The JSON body of a request, or undefined when it is absent or not JSON. */
export function jsonBodyOf(request: SimRequest): unknown {
  const text = bodyText(request.body);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Builds a request from plain parts (header names are lower-cased). */
export function simRequest(parts: {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  readonly peer: string;
}): SimRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers.set(name.toLowerCase(), value);
  const body = parts.body === undefined ? undefined : typeof parts.body === 'string' ? encoder.encode(parts.body) : parts.body;
  return {
    method: parts.method.toUpperCase(),
    url: parts.url instanceof URL ? parts.url : new URL(parts.url),
    headers: headers as SimHeaders,
    body,
    signal: parts.signal,
    peer: parts.peer,
  };
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An answer without a body. */
export function emptyAnswer(status: number, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return { status, headers, body: null };
}

/** The error answer of the agents server's and chat's routes: `{ "error": { "code", "message" } }`. */
export function errorAnswer(status: number, code: string, message: string): SimResponse {
  return jsonAnswer(status, { error: { code, message } });
}
