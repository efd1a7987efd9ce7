import type { SimResponse } from '../../http/SimResponse.ts';
import { emptyResponse, textResponse } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

/** DELETE: removes the stream (204); held reads of it answer 404 and subscriptions drop their links to it. */
export function deleteStream(context: StreamsHttpContext, path: string): SimResponse {
  return context.streams.delete(path) ? emptyResponse(204) : textResponse(404, 'Stream not found');
}
