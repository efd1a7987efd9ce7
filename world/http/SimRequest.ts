/** Header names and values of a {@link SimRequest}: names lower-case, values trimmed, as a `Headers` holds them. */
export type SimHeaders = ReadonlyMap<string, string>;

/**
 * An HTTP request as a simulated service receives it. Plain data, so that a runtime in the same process reaches a
 * service without the cost of a WHATWG `Request`; `fetch` callers reach the same server code through
 * {@link simRequestFromFetch}.
 */
export interface SimRequest {
  /** Upper-case. */
  readonly method: string;
  /** Absolute; the origin names the service. */
  readonly url: URL;
  readonly headers: SimHeaders;
  /** The bytes sent; undefined when the request has no body. */
  readonly body: Uint8Array | undefined;
  /** Aborts a held long-poll, as a dropped connection would. */
  readonly signal: AbortSignal | undefined;
  /** Who sent it: a process name like `host#2`, or a service; tests may use `test`. */
  readonly peer: string;
  /**
   * When the request left its sender, in virtual ms, as the network saw it go (Network.exchange sets it). A service
   * that records it lets a rule tell a request sent after an event from one that was only delivered after it. Absent
   * for a request handed to a service without the network (tests, benchmarks).
   */
  readonly sentAtMs?: number;
}

/**
 * The request's send time as an observation's detail (`{ sentAtMs }`), or nothing when no network stamped it: a
 * service adds it to what it records of the requests a rule judges by when they were sent (claims, refusals).
 */
export function sentAt(request: SimRequest): { readonly sentAtMs?: number } {
  return request.sentAtMs === undefined ? {} : { sentAtMs: request.sentAtMs };
}

/** What {@link simRequest} builds a request from. */
export interface SimRequestInit {
  readonly method: string;
  /** Absolute. */
  readonly url: string | URL;
  /** Any case; names are lower-cased and values trimmed. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** A string is sent as UTF-8. */
  readonly body?: string | Uint8Array | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly peer: string;
}

/**
 * What `fetch` gives a string body that names no media type. The simulated services see it from `fetch` callers, so
 * the plain transport adds it too, or the two would be answered differently (an append without a media type is a 400).
 */
export const STRING_BODY_CONTENT_TYPE = 'text/plain;charset=UTF-8';

const utf8 = new TextEncoder();
/** What `Headers` strips from both ends of a value: HTTP whitespace, not every Unicode space as `trim` would. */
const HTTP_WHITESPACE_ENDS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Tab, line feed, carriage return, space: the HTTP whitespace {@link HTTP_WHITESPACE_ENDS} strips. */
const isHttpWhitespace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** The value without HTTP whitespace at its ends; most values have none, and are returned without a regular expression. */
function trimHttpWhitespace(value: string): string {
  if (value.length === 0 || (!isHttpWhitespace(value.charCodeAt(0)) && !isHttpWhitespace(value.charCodeAt(value.length - 1)))) return value;
  return value.replace(HTTP_WHITESPACE_ENDS, '');
}

/**
 * Builds a {@link SimRequest} with the normalization a WHATWG `Request` applies, so that a request sent either way
 * is the same request: the method upper-cased, header names lower-cased, values trimmed, a string body encoded as
 * UTF-8 and given `text/plain;charset=UTF-8` when no `content-type` is named.
 */
export function simRequest(init: SimRequestInit): SimRequest {
  const headers = new Map<string, string>();
  if (init.headers) {
    for (const name in init.headers) headers.set(name.toLowerCase(), trimHttpWhitespace(init.headers[name]!));
  }
  let body: Uint8Array | undefined;
  if (typeof init.body === 'string') {
    body = utf8.encode(init.body);
    if (!headers.has('content-type')) headers.set('content-type', STRING_BODY_CONTENT_TYPE);
  } else {
    body = init.body;
  }
  return {
    method: init.method.toUpperCase(),
    url: typeof init.url === 'string' ? new URL(init.url) : init.url,
    headers,
    body,
    signal: init.signal,
    peer: init.peer,
  };
}
