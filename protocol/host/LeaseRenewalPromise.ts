/**
 * How often a runtime promises to renew the lease of a wake it runs, as functions of the lease's length
 * (`lease_ttl_ms` of the claim's answer), in virtual milliseconds. The `protocol` property holds the runtime to it at
 * the agents server: semantics.md §1 fixes no schedule (it has a wake renew while it runs), so the runtime states its
 * own, and a runtime that renews on a schedule it did not declare is judged by nothing here.
 *
 * Declare what the runtime's documentation promises, not what its code computes: a promise read from the code follows
 * a defect in it.
 */
export interface LeaseRenewalPromise {
  /**
   * The longest wait between two renewals of a running wake (and from its claim to its first renewal), however the
   * renewals before it were answered, a renewal on a connection that hangs included.
   */
  maxRenewalGapMs(leaseTtlMs: number): number;
  /**
   * A renewal that got no answer (answered 5xx or 429, turned away at the door, a dropped or hung connection, an
   * answer lost) is followed by the next within this long. Absent: only {@link maxRenewalGapMs} holds.
   */
  retryUnansweredWithinMs?(leaseTtlMs: number): number;
  /**
   * The runtime gives its claim up (and stops renewing) once this long has passed since the claim, or the last
   * renewal it saw confirmed, went out: after that it owes no renewal. Absent: it renews until a renewal is refused
   * for good (401, 409), its done went out, or its process began to stop.
   */
  claimKeptUnconfirmedMs?(leaseTtlMs: number): number;
}
