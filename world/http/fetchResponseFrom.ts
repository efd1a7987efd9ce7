import type { SimResponse } from './SimResponse.ts';

/** Statuses a `Response` refuses any body on, even an empty one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The WHATWG `Response` of a {@link SimResponse}: same status, headers and body. A 204 or 304 gets a null body
 * whatever it carries, and an answer without a body a null one rather than an empty string, which would make the
 * `Response` invent a `text/plain` content type.
 */
export function fetchResponseFrom(response: SimResponse): Response {
  const body = NULL_BODY_STATUSES.has(response.status) ? null : response.body;
  return new Response(body, { status: response.status, headers: response.headers });
}
