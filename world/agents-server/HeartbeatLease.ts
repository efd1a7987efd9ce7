/**
 * What a runner heartbeat does to the lease expiry of that runner's active claim rows (the world's `heartbeat-lease`
 * switch, historical-bugs.md B10, c02dd6d75 / #4353):
 * - `erase`, the defect: the heartbeat writes `lease_expires_at = null` (its only caller never passed a lease), so a
 *   claim that outlived one heartbeat never expires: a claim reaper (`claim-reaper=sweep`) never releases it.
 * - `keep`, the fix (default): a heartbeat touches only the runner's last-heartbeat time.
 */
export const HEARTBEAT_LEASES = ['erase', 'keep'] as const;

export type HeartbeatLease = (typeof HEARTBEAT_LEASES)[number];
