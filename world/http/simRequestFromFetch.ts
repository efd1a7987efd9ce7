import type { SimRequest } from './SimRequest.ts';

/**
 * The {@link SimRequest} a WHATWG `Request` carries: the same method (upper-cased), URL, headers (a `Headers` has
 * them lower-case and trimmed already), bytes and signal. The body is read to the end; a request without one has
 * none, without waiting on a stream.
 */
export async function simRequestFromFetch(request: Request, peer: string): Promise<SimRequest> {
  const headers = new Map<string, string>();
  request.headers.forEach((value, name) => headers.set(name, value));
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return { method: request.method.toUpperCase(), url: new URL(request.url), headers, body, signal: request.signal, peer };
}
