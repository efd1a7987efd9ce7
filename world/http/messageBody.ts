import type { SimRequest } from './SimRequest.ts';
import type { SimResponse } from './SimResponse.ts';

/** Decodes like `Response.text()`: UTF-8, a leading BOM dropped, malformed bytes replaced. */
const utf8 = new TextDecoder();
const BYTE_ORDER_MARK = 0xfeff;
const NO_BYTES = new Uint8Array(0);

/** The bytes a request carries; none for a request without a body, which servers treat as an empty one. */
export function bodyBytes(request: SimRequest): Uint8Array {
  return request.body ?? NO_BYTES;
}

/** The body of a request or an answer as text, decoded as `Response.text()` would; no body reads as `''`. */
export function bodyText(message: SimRequest | SimResponse): string {
  const body = message.body;
  if (body === null || body === undefined) return '';
  if (typeof body !== 'string') return utf8.decode(body);
  // A text body goes out as UTF-8, and `Response.text()` would drop its BOM on the way back.
  return body.charCodeAt(0) === BYTE_ORDER_MARK ? body.slice(1) : body;
}

/** The body parsed as JSON, as `Response.json()` would. @throws SyntaxError when it is not JSON (an empty body is not). */
export function bodyJson(message: SimRequest | SimResponse): unknown {
  return JSON.parse(bodyText(message));
}
