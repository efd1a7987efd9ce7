import type { SimResponse } from './SimResponse.ts';

/** Statuses a `Response` refuses any body on, even an empty one (it refuses statuses below 200 altogether). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

const utf8 = new TextEncoder();

/**
 * The WHATWG `Response` of a {@link SimResponse}: the same status, headers and body, and nothing else. A 204 or 304
 * gets a null body whatever it carries; text goes in as UTF-8 bytes, because a `Response` given a string adds a
 * `text/plain` content type of its own when the answer names none.
 */
export function fetchResponseFrom(response: SimResponse): Response {
  const { status, headers, body } = response;
  if (body === null || NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers });
  return new Response(typeof body === 'string' ? utf8.encode(body) : body, { status, headers });
}
