import { abortReason } from './abortReason.ts';
import type { FetchFunction } from './FetchFunction.ts';
import { fetchResponseFrom } from './fetchResponseFrom.ts';
import type { SimHttpHandler } from './SimHttpHandler.ts';
import { simRequestFromFetch } from './simRequestFromFetch.ts';

/**
 * Answers a WHATWG `Request` with a simulated server: the request made plain, served, and the answer made a
 * `Response`. Rejects with the signal's reason when the request is aborted before it is served (as `fetch` does,
 * without sending it) or while the server holds it.
 */
export async function serveFetchRequest(serve: SimHttpHandler, request: Request, peer: string): Promise<Response> {
  if (request.signal.aborted) throw abortReason(request.signal);
  return fetchResponseFrom(await serve(await simRequestFromFetch(request, peer)));
}

/**
 * A drop-in `fetch` that reaches `serve` in process, for `@durable-streams/client` and any runtime that speaks
 * `fetch`: every request it makes arrives from `peer`. Only absolute URLs work, there being no page to resolve
 * against.
 */
export function fetchOver(serve: SimHttpHandler, peer: string): FetchFunction {
  // Async, so that what `new Request` refuses (a relative URL, a GET with a body) rejects, as with `fetch`, not throws.
  return async (input, init) => serveFetchRequest(serve, new Request(input, init), peer);
}
