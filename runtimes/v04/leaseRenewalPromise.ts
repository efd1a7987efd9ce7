import type { LeaseRenewalPromise } from '../../protocol/host/LeaseRenewalPromise.ts';

/**
 * The renewal schedule the v0.4 runtime documents (the meanings of its `lease-renewal`, `renewal-timeout`,
 * `renewal-retry`, `lease-fence` and `request-timeout` switches), stated here in numbers of its own rather than read
 * from `RUNTIME_TIMING`: the promise must not move when a defect in the code moves a constant.
 */
const DOCUMENTED = {
  /** A renewal every third of the lease. */
  renewalsPerLease: 3,
  /** `renewal-timeout=short`: a renewal unanswered for 2 s is given up. */
  shortAnswerWaitMs: 2_000,
  /** `request-timeout=abort`: any request unanswered for 30 s is given up. */
  requestDeadlineMs: 30_000,
  /** `renewal-retry=backoff`: one that got no answer is tried again after 1 s, then every 2 s at most. */
  retryMaxBackoffMs: 2_000,
  /** `lease-fence=deadline`: the claim is given up 5 s before the lease it can be sure of ends. */
  fenceMarginMs: 5_000,
} as const;

/**
 * What the v0.4 runtime promises of its lease renewals under `config`, or undefined where it renews nothing
 * (`lease-renewal=none`) or a renewal may wait without bound (`renewal-timeout=none` without `request-timeout=abort`:
 * a renewal on a connection that hangs holds the next up for good).
 */
export function v04LeaseRenewalPromise(config: Readonly<Record<string, string>>): LeaseRenewalPromise | undefined {
  if (config['lease-renewal'] !== 'renew') return undefined;
  const timeout = config['renewal-timeout'];
  if (timeout !== 'short' && timeout !== 'interval' && config['request-timeout'] !== 'abort') return undefined;
  const intervalMs = (leaseTtlMs: number): number => Math.max(1, Math.floor(leaseTtlMs / DOCUMENTED.renewalsPerLease));
  /** `request-timeout=abort` gives any request up after 30 s (as a dropped connection, so no `interval` resend). */
  const deadlineMs = config['request-timeout'] === 'abort' ? DOCUMENTED.requestDeadlineMs : Infinity;
  /** How long a renewal may go unanswered before the runtime counts it as one that got no answer. */
  const answerWaitMs = (leaseTtlMs: number): number => {
    const giveUpMs = timeout === 'short' ? Math.min(DOCUMENTED.shortAnswerWaitMs, intervalMs(leaseTtlMs)) : timeout === 'interval' ? intervalMs(leaseTtlMs) : Infinity;
    return Math.min(deadlineMs, giveUpMs);
  };
  // `interval`'s own timer, when it fires before the request deadline, sends the next renewal at once; otherwise the
  // next waits an interval after the renewal ended, answered, failed or given up (the schedule counts from there).
  const maxRenewalGapMs = (leaseTtlMs: number): number =>
    timeout === 'interval' && intervalMs(leaseTtlMs) < deadlineMs ? intervalMs(leaseTtlMs) : answerWaitMs(leaseTtlMs) + intervalMs(leaseTtlMs);
  return {
    maxRenewalGapMs,
    // A renewal answered 200 schedules the next a whole interval after the answer.
    minGapAfterConfirmedMs: intervalMs,
    ...(config['renewal-retry'] === 'backoff'
      ? { retryUnansweredWithinMs: (leaseTtlMs: number) => Math.min(answerWaitMs(leaseTtlMs) + DOCUMENTED.retryMaxBackoffMs, maxRenewalGapMs(leaseTtlMs)) }
      : {}),
    ...(config['lease-fence'] === 'deadline' ? { claimKeptUnconfirmedMs: (leaseTtlMs: number) => leaseTtlMs - DOCUMENTED.fenceMarginMs } : {}),
  };
}
