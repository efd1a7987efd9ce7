import type { SimRequest } from './SimRequest.ts';
import type { SimResponse } from './SimResponse.ts';

/** One header of a request or an answer, named in any case; undefined when absent. */
export function headerOf(message: SimRequest | SimResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  if ('method' in message) return message.headers.get(lower);
  // Own properties only: a header named like an Object.prototype member is not there unless it was set.
  return Object.hasOwn(message.headers, lower) ? message.headers[lower] : undefined;
}
