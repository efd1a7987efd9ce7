/** Shared-state streams live under this name prefix (under the Durable Streams root). */
const SHARED_STREAM_PREFIX = 'shared/';

/** True for the name (under the root) of a shared-state stream: where preload faults and outages strike. */
export function isSharedStream(stream: string): boolean {
  return stream.startsWith(SHARED_STREAM_PREFIX);
}
