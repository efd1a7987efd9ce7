import { bodyBytes } from '../../http/messageBody.ts';
import type { SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import { DEFAULT_CONTENT_TYPE } from '../contentTypes.ts';
import { CLOSED, EXPIRES_AT, FORK_OFFSET, FORK_SUB_OFFSET, FORKED_FROM, NEXT_OFFSET, TTL } from './protocolHeaders.ts';
import { emptyResponse, textResponse } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

const NON_NEGATIVE_INTEGER = /^(0|[1-9]\d*)$/;
/** What the reference accepts as a media type; anything else (or nothing) creates a byte stream. */
const MEDIA_TYPE = /^[\w-]+\/[\w-]+/;

/**
 * PUT: creates a stream (201, with `Location`), or confirms one that exists with the same settings (200); the body,
 * if any, is a new stream's first append. Settings are checked in the reference's order, so a request with several
 * faults gets the same 400 as from the reference. TTL and `Expires-At` are validated and kept but never expire a
 * stream (simulated runs are short); forks are not simulated (501).
 */
export function createStream(context: StreamsHttpContext, path: string, url: URL, request: SimRequest): SimResponse {
  const headers = request.headers;
  const requestedType = headers.get('content-type');
  const forkedFrom = headers.get(FORKED_FROM);
  const forkOffset = headers.get(FORK_OFFSET);
  const forkSubOffset = headers.get(FORK_SUB_OFFSET);
  // No media type, or one the reference cannot read, makes a byte stream.
  const contentType = requestedType && requestedType.trim() !== '' && MEDIA_TYPE.test(requestedType) ? requestedType : DEFAULT_CONTENT_TYPE;
  const ttl = headers.get(TTL);
  const expiresAt = headers.get(EXPIRES_AT);
  const closed = headers.get(CLOSED) === 'true';
  if (ttl && expiresAt) return textResponse(400, 'Cannot specify both Stream-TTL and Stream-Expires-At');
  if (ttl && !NON_NEGATIVE_INTEGER.test(ttl)) return textResponse(400, 'Invalid Stream-TTL value');
  if (expiresAt && Number.isNaN(Date.parse(expiresAt))) return textResponse(400, 'Invalid Stream-Expires-At timestamp');
  if (forkOffset && !/^\d+_\d+$/.test(forkOffset)) return textResponse(400, 'Invalid Stream-Fork-Offset format');
  if (forkSubOffset !== undefined) {
    if (!forkedFrom) return textResponse(400, 'Stream-Fork-Sub-Offset requires Stream-Forked-From');
    if (!NON_NEGATIVE_INTEGER.test(forkSubOffset)) return textResponse(400, 'Invalid Stream-Fork-Sub-Offset format');
  }
  if (forkedFrom) return textResponse(501, 'Forks are not simulated');

  const { created } = context.streams.createStream(
    path,
    { contentType, ttlSeconds: ttl ? parseInt(ttl, 10) : undefined, expiresAt: expiresAt ?? undefined, closed },
    bodyBytes(request),
  );
  const stream = context.streams.metadata(path)!;
  return emptyResponse(created ? 201 : 200, {
    'content-type': stream.contentType,
    [NEXT_OFFSET]: stream.tailOffset,
    location: created ? `${url.origin}${path}` : undefined,
    [CLOSED]: stream.closed ? 'true' : undefined,
  });
}
