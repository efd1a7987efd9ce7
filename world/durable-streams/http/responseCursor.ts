/** Width of one cursor interval (the reference's default, 20 s), in milliseconds. */
export const CURSOR_INTERVAL_MS = 20_000;
/** Intervals are counted from the reference's default epoch, 2024-10-09T00:00:00Z (in Unix milliseconds). */
export const CURSOR_EPOCH_MS = 1_728_432_000_000;

/**
 * The `Stream-Cursor` of a live answer. CDNs key cached long-polls on it, so it must change over time and must never
 * repeat a cursor the client sent (or a cache could loop). As in the reference it is the number of the current
 * interval since the epoch, and a client already at or past it is moved ahead. Two deliberate differences: the time
 * is the virtual wall clock (`wallClockMs`), and the move ahead is exactly one interval where the reference draws 1
 * to 180 at random.
 */
export function responseCursor(clientCursor: string | undefined, wallClockMs: number): string {
  const current = Math.floor((wallClockMs - CURSOR_EPOCH_MS) / CURSOR_INTERVAL_MS);
  if (!clientCursor) return String(current);
  const client = parseInt(clientCursor, 10);
  if (Number.isNaN(client) || client < current) return String(current);
  return String(client + 1);
}
