/**
 * Where the agents server keeps its claim write tokens (the world's `write-tokens` switch):
 * - `memory` (default): as upstream's `ClaimWriteTokenStore`, in memory only, so a restart of the server loses every
 *   token, and the renewals, dones, manifest commits and shared-state writes of the wakes in flight are refused 401.
 * - `database`: a hardening of the server: the tokens are stored with the claim rows, which already survive a restart,
 *   so a wake in flight goes on with the token it was given. The restart is as strong as before otherwise (503 while
 *   down, every connection dropped).
 */
export const WRITE_TOKEN_KEEPINGS = ['memory', 'database'] as const;

export type WriteTokenKeeping = (typeof WRITE_TOKEN_KEEPINGS)[number];
