/**
 * HTTP between simulated processes and services, transport-neutral: a service is one {@link SimHttpHandler} over
 * plain {@link SimRequest}s and {@link SimResponse}s; a runtime in the same process calls it directly, and `fetch`
 * callers reach the same code through {@link fetchOver}, so both are answered alike by construction.
 *
 * @packageDocumentation
 */
export { simRequest, STRING_BODY_CONTENT_TYPE, type SimHeaders, type SimRequest, type SimRequestInit } from './SimRequest.ts';
export type { SimResponse } from './SimResponse.ts';
export type { SimHttpHandler } from './SimHttpHandler.ts';
export type { FetchFunction } from './FetchFunction.ts';
export { bodyBytes, bodyJson, bodyText } from './messageBody.ts';
export { headerOf } from './headerOf.ts';
export { abortReason } from './abortReason.ts';
export { simRequestFromFetch } from './simRequestFromFetch.ts';
export { fetchResponseFrom } from './fetchResponseFrom.ts';
export { fetchOver, serveFetchRequest } from './fetchOver.ts';
