/**
 * Header and query names of the Durable Streams protocol, lower-cased as every request and answer names them. Spelled
 * out here rather than imported from the client so that the simulated service depends on nothing it imitates.
 */
export const NEXT_OFFSET = 'stream-next-offset';
export const UP_TO_DATE = 'stream-up-to-date';
export const CURSOR = 'stream-cursor';
export const CLOSED = 'stream-closed';
export const SEQ = 'stream-seq';
export const TTL = 'stream-ttl';
export const EXPIRES_AT = 'stream-expires-at';
export const FORKED_FROM = 'stream-forked-from';
export const FORK_OFFSET = 'stream-fork-offset';
export const FORK_SUB_OFFSET = 'stream-fork-sub-offset';
export const PRODUCER_ID = 'producer-id';
export const PRODUCER_EPOCH = 'producer-epoch';
export const PRODUCER_SEQ = 'producer-seq';
export const PRODUCER_EXPECTED_SEQ = 'producer-expected-seq';
export const PRODUCER_RECEIVED_SEQ = 'producer-received-seq';

export const OFFSET_PARAM = 'offset';
export const LIVE_PARAM = 'live';
export const CURSOR_PARAM = 'cursor';

/**
 * Headers the reference server sets on every answer, errors included: CORS for browser clients and two security
 * headers (protocol section 10.7). Clients in Node ignore them; they are here so that a header-by-header comparison
 * with the reference has nothing to explain away.
 */
export const EVERY_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, HEAD, OPTIONS',
  'access-control-allow-headers':
    'content-type, authorization, Stream-Seq, Stream-TTL, Stream-Expires-At, Stream-Closed, Producer-Id, Producer-Epoch, Producer-Seq, Stream-Forked-From, Stream-Fork-Offset, Stream-Fork-Sub-Offset',
  'access-control-expose-headers':
    'Stream-Next-Offset, Stream-Cursor, Stream-Up-To-Date, Stream-Closed, Producer-Epoch, Producer-Seq, Producer-Expected-Seq, Producer-Received-Seq, etag, content-type, content-encoding, vary',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
};
