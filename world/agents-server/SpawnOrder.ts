/**
 * The order in which the agents server's spawn links a child's inbox to its subscription and appends the child's
 * initial message (the world's `spawn-order` switch, historical-bugs.md B9: 0ac67fdab put the append first, c4e046fec
 * reverted it, e13cad14b links first for every target, as HEAD does):
 * - `append-first`, the defect here: the message is appended before the subscription exists; the subscription links
 *   the inbox at its tail, as the reference does, so the message predates the link: it is no work, and the child never
 *   answers it.
 * - `link-first`, the fix (default, HEAD's order): the subscription links the inbox first, and the message appended
 *   after it is work that wakes the child.
 */
export const SPAWN_ORDERS = ['append-first', 'link-first'] as const;

export type SpawnOrder = (typeof SPAWN_ORDERS)[number];
