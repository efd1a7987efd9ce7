import { abortReason } from '../../http/abortReason.ts';
import type { SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import { HttpError } from '../../network/HttpError.ts';
import { appendToStream } from './appendToStream.ts';
import { createStream } from './createStream.ts';
import { deleteStream } from './deleteStream.ts';
import { headStream } from './headStream.ts';
import { readStream } from './readStream.ts';
import { emptyResponse, methodNotAllowed, textResponse } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';
import { subscriptionRoutes } from './subscriptionRoutes.ts';

/**
 * Serves one request of the Durable Streams protocol from the simulated service, answering what the reference
 * server (`@durable-streams/server` 0.3.7) answers: same statuses, headers, offsets and bodies, errors included.
 * The path of the URL is the stream's path; the origin is only used for `Location`.
 *
 * Rejects, as `fetch` does, only when the request's signal aborts (before or while a long-poll is held). Every
 * other failure is an answer: the service's refusals with their status and sentence, anything unexpected 500.
 */
export async function handleStreamsRequest(context: StreamsHttpContext, request: SimRequest): Promise<SimResponse> {
  const { signal, url, method } = request;
  if (signal?.aborted) throw abortReason(signal);
  const path = url.pathname;
  // CORS preflight: answered before any route, control routes included.
  if (method === 'OPTIONS') return emptyResponse(204);
  try {
    const control = subscriptionRoutes(context, method, path, request);
    if (control) return control;
    switch (method) {
      case 'PUT':
        return createStream(context, path, url, request);
      case 'HEAD':
        return headStream(context, path);
      case 'GET':
        return await readStream(context, path, url, request);
      case 'POST':
        return appendToStream(context, path, request);
      case 'DELETE':
        return deleteStream(context, path);
      default:
        return methodNotAllowed();
    }
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    // The service words its refusals as the reference's bodies (`Stream not found`, `Invalid JSON`, ...).
    if (error instanceof HttpError) return textResponse(error.status, error.message);
    return textResponse(500, 'Internal server error');
  }
}
