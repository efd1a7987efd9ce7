/**
 * How often a runtime promises to renew the lease of a wake it runs, as functions of the lease's length
 * (`lease_ttl_ms` of the claim's answer), in virtual milliseconds. The `protocol` property holds the runtime to it at
 * the agents server: semantics.md §1 fixes no schedule (it has a wake renew while it runs), so the runtime states its
 * own, and a runtime that renews on a schedule it did not declare is judged by nothing here.
 *
 * Declare what the runtime's documentation promises, not what its code computes: a promise read from the code follows
 * a defect in it. The rule measures every interval where the world saw the renewals (at the agents server, at its
 * door, or on the wire), allowing three deliveries and 100 ms; it applies to every wake the agents server granted the
 * runtime's processes, one the runtime holds without running it (no handler for its entity type) included.
 */
export interface LeaseRenewalPromise {
  /**
   * The longest wait between two renewals of a running wake (and from its claim to its first renewal), however the
   * renewals before it were answered, a renewal on a connection that hangs included.
   */
  maxRenewalGapMs(leaseTtlMs: number): number;
  /**
   * A renewal that got no answer (answered 5xx or 429, turned away at the door, a dropped or hung connection, an
   * answer lost) is followed by the next within this long, counted from that renewal. Absent: only
   * {@link maxRenewalGapMs} holds.
   */
  retryUnansweredWithinMs?(leaseTtlMs: number): number;
  /**
   * The runtime gives its claim up (and stops renewing) once this long has passed since the claim, or the last
   * renewal it saw confirmed, went out: after that it owes no renewal. Absent: it renews until a renewal is refused
   * for good (401, 409), its done went out, or its process began to stop.
   */
  claimKeptUnconfirmedMs?(leaseTtlMs: number): number;
  /**
   * After a renewal whose 200 the runtime read, the next renewal of that wake waits at least this long, counted from
   * the agents server's answer (the runtime reads it no sooner): a runtime that renews once per round trip loads the
   * server for nothing. Absent: renewals may come as often as the runtime likes.
   */
  minGapAfterConfirmedMs?(leaseTtlMs: number): number;
}
