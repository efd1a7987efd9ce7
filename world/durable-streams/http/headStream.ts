import type { SimResponse } from '../../http/SimResponse.ts';
import { CLOSED, EXPIRES_AT, NEXT_OFFSET, TTL } from './protocolHeaders.ts';
import { emptyResponse } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';
import { readEtag } from './etag.ts';

/**
 * HEAD: the stream's metadata (tail offset, media type, closed, TTL) without its data, never cacheable since the tail
 * moves with every append. A missing stream is a bare 404, as in the reference.
 */
export function headStream(context: StreamsHttpContext, path: string): SimResponse {
  const stream = context.streams.metadata(path);
  if (!stream) return emptyResponse(404, { 'content-type': 'text/plain' });
  return emptyResponse(200, {
    [NEXT_OFFSET]: stream.tailOffset,
    'cache-control': 'no-store',
    'content-type': stream.contentType,
    [CLOSED]: stream.closed ? 'true' : undefined,
    [TTL]: stream.ttlSeconds === undefined ? undefined : String(stream.ttlSeconds),
    [EXPIRES_AT]: stream.expiresAt || undefined,
    etag: readEtag(path, '-1', stream.tailOffset, stream.closed),
  });
}
