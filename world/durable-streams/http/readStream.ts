import type { SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import { JSON_CONTENT_TYPE, isJsonContentType } from '../contentTypes.ts';
import type { StoredMessage } from '../DurableStreamsService.ts';
import { PROTOCOL_OFFSET_PATTERN, TAIL_OFFSET } from '../offsets.ts';
import { wallClockMs } from '../VirtualClock.ts';
import { readEtag } from './etag.ts';
import { waitForChange } from './longPoll.ts';
import { CLOSED, CURSOR, CURSOR_PARAM, LIVE_PARAM, NEXT_OFFSET, OFFSET_PARAM, UP_TO_DATE } from './protocolHeaders.ts';
import { bytesReadBody, jsonReadBody } from './readBody.ts';
import { bodyResponse, emptyResponse, textResponse, type HeaderValues } from './responses.ts';
import { responseCursor } from './responseCursor.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

const TRUE = 'true';

/**
 * GET: a catch-up read, or a long-poll (`live=long-poll`). A catch-up read answers every message after `offset`
 * (`-1` or none: from the start; `now`: none, only the tail), always up to date. A long-poll by a reader caught up
 * to the tail (its offset is exactly the tail, or `now`) is held until data arrives (200), the stream is closed or
 * the poll times out (204 with the offset unchanged). SSE (`live=sse`) is not simulated: 501.
 */
export async function readStream(context: StreamsHttpContext, path: string, url: URL, request: SimRequest): Promise<SimResponse> {
  const { streams } = context;
  const stream = streams.metadata(path);
  if (!stream) return textResponse(404, 'Stream not found');
  const offsets = url.searchParams.getAll(OFFSET_PARAM);
  const offset = offsets[0];
  const live = url.searchParams.get(LIVE_PARAM);
  const cursor = url.searchParams.get(CURSOR_PARAM) ?? undefined;
  if (offset !== undefined) {
    if (offset === '') return textResponse(400, 'Empty offset parameter');
    if (offsets.length > 1) return textResponse(400, 'Multiple offset parameters not allowed');
    if (!PROTOCOL_OFFSET_PATTERN.test(offset)) return textResponse(400, 'Invalid offset format');
  }
  if ((live === 'long-poll' || live === 'sse') && !offset) {
    return textResponse(400, `${live === 'sse' ? 'SSE' : 'Long-poll'} requires offset parameter`);
  }
  if (live === 'sse') return textResponse(501, 'SSE is not simulated; use live=long-poll');

  // `now` is the tail: a catch-up read there answers nothing (and must not be cached); a long-poll waits there.
  const effectiveOffset = offset === TAIL_OFFSET ? stream.tailOffset : offset;
  if (offset === TAIL_OFFSET && live !== 'long-poll') {
    // The reference tests `includes`, not the normalized type, for this one body.
    const body = stream.contentType.includes(JSON_CONTENT_TYPE) ? '[]' : '';
    return bodyResponse(200, body, {
      'content-type': stream.contentType,
      [NEXT_OFFSET]: stream.tailOffset,
      [UP_TO_DATE]: TRUE,
      'cache-control': 'no-store',
      [CLOSED]: stream.closed ? TRUE : undefined,
    });
  }

  let messages: readonly StoredMessage[] = streams.messagesAfter(path, effectiveOffset);
  // Only a reader exactly at the tail waits; any other offset (even one past the tail) is answered at once.
  const caughtUp = (effectiveOffset !== undefined && effectiveOffset === stream.tailOffset) || offset === TAIL_OFFSET;
  let deletedWhileHeld = false;
  if (live === 'long-poll' && caughtUp && messages.length === 0) {
    if (stream.closed) return emptyResponse(204, { [NEXT_OFFSET]: stream.tailOffset, [UP_TO_DATE]: TRUE, [CLOSED]: TRUE });
    const heldAt = effectiveOffset!;
    const outcome = await waitForChange({ streams, clock: context.clock, path, offset: heldAt, timeoutMs: context.longPollTimeoutMs, signal: request.signal });
    const heldCursor = responseCursor(cursor, wallClockMs(context.clock));
    // Written out rather than spread from shared headers: V8 makes a spread copy given a property slow.
    if (outcome.kind === 'closed') return emptyResponse(204, { [NEXT_OFFSET]: heldAt, [UP_TO_DATE]: TRUE, [CURSOR]: heldCursor, [CLOSED]: TRUE });
    if (outcome.kind === 'timeout') return emptyResponse(204, { [NEXT_OFFSET]: heldAt, [UP_TO_DATE]: TRUE, [CURSOR]: heldCursor, [CLOSED]: outcome.closed ? TRUE : undefined });
    if (outcome.kind === 'deleted') deletedWhileHeld = true;
    else messages = outcome.messages;
  }

  const current = streams.metadata(path);
  // A stream deleted under a held read still has the tail it had: the reference reads it off the stream it held.
  const responseOffset = messages.at(-1)?.offset ?? current?.tailOffset ?? stream.tailOffset;
  const closedAtTail = current !== undefined && current.closed && responseOffset === current.tailOffset;
  const etag = readEtag(path, offset ?? '-1', responseOffset, closedAtTail);
  if (request.headers.get('if-none-match') === etag) return emptyResponse(304, { etag });
  if (deletedWhileHeld || !current) return textResponse(404, 'Stream not found');
  const headers: HeaderValues = {
    'content-type': stream.contentType,
    [NEXT_OFFSET]: responseOffset,
    [CURSOR]: live === 'long-poll' ? responseCursor(cursor, wallClockMs(context.clock)) : undefined,
    [UP_TO_DATE]: TRUE,
    [CLOSED]: closedAtTail ? TRUE : undefined,
    etag,
  };
  const body = isJsonContentType(stream.contentType) ? jsonReadBody(messages) : bytesReadBody(messages);
  return bodyResponse(200, body, headers);
}
