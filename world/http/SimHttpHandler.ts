import type { SimRequest } from './SimRequest.ts';
import type { SimResponse } from './SimResponse.ts';

/**
 * A simulated server as every transport reaches it: the plain in-process one directly, `fetch` callers through
 * {@link fetchOver}. It answers every request, errors included, and rejects only when the request's signal aborts
 * (with the signal's reason, as `fetch` does).
 */
export type SimHttpHandler = (request: SimRequest) => Promise<SimResponse>;
