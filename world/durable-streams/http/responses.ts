import type { SimResponse } from '../../http/SimResponse.ts';
import { EVERY_RESPONSE_HEADERS } from './protocolHeaders.ts';

/** Extra headers of one answer, names lower-case; undefined values are left out. */
export type HeaderValues = Readonly<Record<string, string | undefined>>;

const TEXT = 'text/plain';

function headersOf(extra: HeaderValues): Record<string, string> {
  // Copied by `Object.assign`, not spread: V8 gives a spread copy a shape that the names added next make slow, and
  // this object is every answer's (about 1 µs against 0.1 on Node 20).
  const headers: Record<string, string> = Object.assign({}, EVERY_RESPONSE_HEADERS);
  for (const name in extra) {
    const value = extra[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/**
 * An answer without a body (201 create, 204 append, HEAD, 304). The body is null, not empty: a `Response` refuses a
 * body on 204 and 304, and an empty string would make it invent a `text/plain` content type.
 */
export function emptyResponse(status: number, headers: HeaderValues = {}): SimResponse {
  return { status, headers: headersOf(headers), body: null };
}

/** A plain-text answer: every stream-route error of the reference is one, with a fixed sentence as body. */
export function textResponse(status: number, text: string, headers: HeaderValues = {}): SimResponse {
  return { status, headers: headersOf({ 'content-type': TEXT, ...headers }), body: text };
}

/** A JSON answer of the control routes. */
export function jsonResponse(status: number, body: unknown, headers: HeaderValues = {}): SimResponse {
  return { status, headers: headersOf({ 'content-type': 'application/json', ...headers }), body: JSON.stringify(body) };
}

/** A read's body: JSON text or the raw bytes of a byte stream; the content type is the stream's own. */
export function bodyResponse(status: number, body: string | Uint8Array, headers: HeaderValues): SimResponse {
  return { status, headers: headersOf(headers), body };
}

/** 405, as the reference answers any method it does not route. */
export const methodNotAllowed = (): SimResponse => textResponse(405, 'Method not allowed');
