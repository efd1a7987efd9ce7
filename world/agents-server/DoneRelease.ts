/**
 * How the agents server's done route releases a claim row (the world's `done-release` switch, historical-bugs.md B3,
 * c6fb22dd9 / #4346):
 * - `token-gated`, the defect: releasing the `consumer_claims` row is gated on the in-memory write token, like the ack.
 *   A done whose token a server restart lost (or that a re-mint replaced) is refused and leaves the row active for
 *   good: its entity stays running with no reaper to release it.
 * - `independent`, the fix (default): each step has its own gate. The row is released whenever the done names the
 *   active claim row's generation (the row lives in the database and survives the restart); the ack to Durable
 *   Streams still needs the in-memory token, so such a done is still answered 401 and the lease runs out.
 */
export const DONE_RELEASES = ['token-gated', 'independent'] as const;

export type DoneRelease = (typeof DONE_RELEASES)[number];
