import { bodyText } from './messageBody.ts';
import type { SimRequest } from './SimRequest.ts';
import type { SimResponse } from './SimResponse.ts';

/** The JSON body of a request, or undefined when it is absent or not JSON (the routes answer 400 for that). */
export function jsonBodyOf(request: SimRequest): unknown {
  const text = bodyText(request);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An answer without a body. */
export function emptyAnswer(status: number, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return { status, headers, body: null };
}

/** The error answer of the agents server's and the chat's routes: `{ "error": { "code", "message" } }`. */
export function errorAnswer(status: number, code: string, message: string): SimResponse {
  return jsonAnswer(status, { error: { code, message } });
}
