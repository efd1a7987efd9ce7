/**
 * Where the Durable Streams service keeps its pull-wake leases (the world's `lease-store` switch):
 * - `memory` (default): as the reference server does, a lease (its holder, token and expiry), the minted tokens and the
 *   outstanding wake live in memory only, so a restart of the service forgets them: the holder learns it at its next
 *   renewal (401 `TOKEN_INVALID`), and the service re-issues the wake at once, while the old holder may still be running
 *   its handler.
 * - `durable`: a hardening of the service, not of a runtime: leases, their tokens and the outstanding wake are stored
 *   with the subscriptions, so a restart keeps them. The restart is as strong as before otherwise (it drops every
 *   connection and answers 503 while down). No lease runs out while the service is down, and each gets a whole lease
 *   when it is back, as a lock service that fails over extends its sessions' leases: the holder could not renew it
 *   meanwhile. A holder that is gone lets it run out a lease after that.
 */
export const LEASE_STORES = ['memory', 'durable'] as const;

export type LeaseStore = (typeof LEASE_STORES)[number];
