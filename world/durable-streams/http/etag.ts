/**
 * The ETag of a read, as the reference builds it: the path (base64), the offset the read started from, the offset it
 * ended at, and `:c` when the answer also reports the stream closed. Equal tags mean equal bodies, so a client (or a
 * CDN) that sends `If-None-Match` with it gets a 304.
 */
export function readEtag(path: string, startOffset: string, endOffset: string, closed: boolean): string {
  return `"${Buffer.from(path).toString('base64')}:${startOffset}:${endOffset}${closed ? ':c' : ''}"`;
}
