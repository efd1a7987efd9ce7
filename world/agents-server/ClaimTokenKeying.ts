/**
 * How the agents server's in-memory store keys claim write tokens (the world's `claim-tokens` switch,
 * historical-bugs.md B1, 37b9922e7 / #4616):
 * - `per-consumer`, the defect: the store maps each consumer (a runner: one consumer serving many streams) to one
 *   stream. Minting the token of a claim of entity B deletes the live token of the runner's claim of entity A, whose
 *   next authorised write (a shared-state write, a renew, a manifest commit, its done) is refused 401. And the consumer's
 *   "primary stream" is whichever stream it claimed last: a done released without its token (B3's fix) releases the
 *   claim row of that stream, B's, not the one the done names.
 * - `per-stream`, the fix (default, and the store as this world always had it): a token per claim, with a reverse
 *   index per consumer; done releases the claim row it names.
 */
export const CLAIM_TOKEN_KEYINGS = ['per-consumer', 'per-stream'] as const;

export type ClaimTokenKeying = (typeof CLAIM_TOKEN_KEYINGS)[number];
