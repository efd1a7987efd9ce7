import type { SimRequest, SimResponse } from './SimHttp.ts';

type Body = ConstructorParameters<typeof Response>[0];

/** A WHATWG request as a simulated service receives it (reads its body). */
export async function simRequestFromFetch(request: Request, peer: string): Promise<SimRequest> {
  const headers = new Map<string, string>();
  request.headers.forEach((value, name) => headers.set(name.toLowerCase(), value));
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return { method: request.method.toUpperCase(), url: new URL(request.url), headers, body, signal: request.signal, peer };
}

/** A WHATWG response for an answer; 204 and 304 carry no body, as `Response` requires. */
export function fetchResponseFrom(answer: SimResponse): Response {
  const body = answer.status === 204 || answer.status === 304 ? null : answer.body;
  return new Response(body as Body, { status: answer.status, headers: answer.headers });
}

/** A WHATWG request built from a request as a service received it (for services still answering `Request`s). */
export function fetchRequestFrom(request: SimRequest): Request {
  const init: RequestInit = { method: request.method, headers: [...request.headers] };
  if (request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD') init.body = request.body as Body;
  if (request.signal) init.signal = request.signal;
  return new Request(request.url, init);
}

/** An answer as a service gives it, from a WHATWG response (reads its body). */
export async function simResponseFromFetch(response: Response): Promise<SimResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const body = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, body };
}
