import type { WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { RenewalTimeoutMode } from '../config.ts';
import { describeError, HttpStatusError } from '../errors.ts';
import { isTransient } from '../transientFailure.ts';
import { nowMs } from '../time.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import type { V04Environment } from '../V04Environment.ts';

/** Renewals per lease: one every third of its length leaves two chances before it runs out. */
const RENEWALS_PER_LEASE = 3;

/** What the keeper of a wake's lease does. */
export interface LeaseKeeping {
  /** `lease-renewal=renew`: renew the lease every third of its length. */
  readonly renew: boolean;
  /**
   * `lease-fence=deadline`: when the claim that granted the wake went out. The wake counts its lease from there (the
   * service began it no earlier), extends it from the sending of each renewal the server confirmed, and has lost its
   * claim {@link RUNTIME_TIMING.leaseFenceMarginMs} before that lease ends. Absent: no deadline of its own.
   */
  readonly fenceFromMs?: number;
  /**
   * `renewal-timeout`: `interval` gives a renewal still unanswered when the next is due up, and the next goes out at
   * once; `short` gives it up {@link RUNTIME_TIMING.renewalAnswerDeadlineMs} after it went out, as one that got no
   * answer (so `renewalRetry` tries it again). Otherwise (`none`) a renewal waits for its answer, and the next goes out
   * a whole interval after it ended.
   */
  readonly renewalTimeout?: RenewalTimeoutMode;
  /**
   * `renewal-retry=backoff`: a renewal that got no answer (a 5xx or 429, a dropped connection) is tried again after
   * {@link RUNTIME_TIMING.renewalRetryInitialBackoffMs}, doubling up to {@link RUNTIME_TIMING.renewalRetryMaxBackoffMs},
   * never later than the next regular renewal. Otherwise it is tried again at the next regular renewal.
   */
  readonly renewalRetry?: boolean;
}

/**
 * Keeps a running wake's lease. `lease-renewal=renew` renews it every third of `lease_ttl_ms`. A renewal the server
 * refuses (401: the write token is gone; 409: the claim was fenced) means another wake may already own the entity, so
 * the wake has lost its claim and must not go on; a renewal that failed for want of an answer (a 5xx, a dropped
 * connection) is tried again at the next tick, while the lease may still be alive. Such failures tell the wake nothing
 * of its lease, which the service ends on time all the same: with `lease-fence=deadline` the wake also gives its claim
 * up once the lease it can be sure of is about to run out. A renewal on a connection that hangs holds up the renewals
 * after it until its request gives up; with `renewal-timeout=interval` it is given up when the next renewal is due,
 * with `renewal-timeout=short` after two seconds. With `renewal-retry=backoff` one that got no answer (given up
 * included) is tried again within seconds, not a third of the lease later.
 */
export class LeaseRenewer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `renewal-timeout`: gives the renewal in flight up when the next one is due (`interval`) or 2 s on (`short`). */
  private renewalTimer: ReturnType<typeof setTimeout> | undefined;
  private fenceTimer: ReturnType<typeof setTimeout> | undefined;
  private lostWith: string | undefined;
  private lostAtDeadline = false;
  private stopped = false;
  /** `renewal-retry=backoff`: the wait before the next try of a renewal that got no answer; reset by an answered one. */
  private retryBackoffMs: number = RUNTIME_TIMING.renewalRetryInitialBackoffMs;

  /** Aborted when the claim is lost: the wake's requests in flight (a preload on a hung connection) end at once. */
  private readonly lost = new AbortController();

  constructor(
    private readonly env: V04Environment,
    private readonly wake: WakeNotification,
    private readonly keeping: LeaseKeeping,
  ) {}

  /** Aborts once the wake has lost its claim. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  /** Why the wake lost its claim: a renewal refused, or its lease's deadline reached. */
  get lostReason(): string | undefined {
    return this.lostWith;
  }

  /** Whether the claim was given up at the deadline of `lease-fence=deadline` (not refused by the server). */
  get deadlineReached(): boolean {
    return this.lostAtDeadline;
  }

  start(): void {
    if (this.keeping.fenceFromMs !== undefined) this.fenceAt(this.keeping.fenceFromMs + this.wake.lease_ttl_ms);
    this.schedule();
  }

  /** Stops renewing; called when the wake ends, however it ends. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.renewalTimer !== undefined) clearTimeout(this.renewalTimer);
    if (this.fenceTimer !== undefined) clearTimeout(this.fenceTimer);
    this.timer = undefined;
    this.renewalTimer = undefined;
    this.fenceTimer = undefined;
  }

  private schedule(delayMs = this.renewalIntervalMs()): void {
    if (this.stopped || this.lostWith !== undefined || !this.keeping.renew) return;
    this.timer = setTimeout(() => void this.renewOnce(), delayMs);
  }

  /** How long a renewal may go unanswered before it is given up (`renewal-timeout`); undefined: as long as its request. */
  private giveUpAfterMs(): number | undefined {
    switch (this.keeping.renewalTimeout) {
      case 'interval':
        return this.renewalIntervalMs();
      case 'short':
        return Math.min(RUNTIME_TIMING.renewalAnswerDeadlineMs, this.renewalIntervalMs());
      default:
        return undefined;
    }
  }

  private renewalIntervalMs(): number {
    return Math.max(1, Math.floor(this.wake.lease_ttl_ms / RENEWALS_PER_LEASE));
  }

  /** (Re)arms the deadline: the claim is lost a margin before `leaseEndsAtMs`, unless a renewal confirmed by then moves it. */
  private fenceAt(leaseEndsAtMs: number): void {
    if (this.stopped || this.lostWith !== undefined) return;
    if (this.fenceTimer !== undefined) clearTimeout(this.fenceTimer);
    const fenceAtMs = leaseEndsAtMs - RUNTIME_TIMING.leaseFenceMarginMs;
    this.fenceTimer = setTimeout(() => {
      this.fenceTimer = undefined;
      if (this.stopped || this.lostWith !== undefined) return;
      this.lostAtDeadline = true;
      this.lose(`its lease ends at ${leaseEndsAtMs} ms on its clock, and no renewal was confirmed since`);
    }, Math.max(0, fenceAtMs - nowMs()));
  }

  /** The claim is lost: said once, and the wake's signal aborted (also after the wake ended, as a refusal always was). */
  private lose(reason: string): void {
    if (this.lostWith !== undefined) return;
    this.lostWith = reason;
    this.env.annotate('lease-lost', { entity: this.wake.entity.id, wakeId: this.wake.wake_id, error: reason });
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.fenceTimer !== undefined) clearTimeout(this.fenceTimer);
    this.lost.abort();
  }

  private async renewOnce(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    const sentAtMs = nowMs();
    const answerWaitMs = this.giveUpAfterMs();
    const giveUp = answerWaitMs === undefined ? undefined : new AbortController();
    const unansweredReason = this.keeping.renewalTimeout === 'interval' ? 'renewal unanswered when the next was due' : `renewal unanswered after ${answerWaitMs} ms`;
    if (giveUp) this.renewalTimer = setTimeout(() => giveUp.abort(new TypeError(unansweredReason)), answerWaitMs);
    let unanswered = false;
    try {
      await this.env.agents.renew(this.wake.wake_id, this.wake.write_token, { subscription_id: this.wake.subscription_id, generation: this.wake.generation }, giveUp?.signal);
      // The server extended the lease when the renewal reached it, no earlier than it went out.
      if (this.keeping.fenceFromMs !== undefined) this.fenceAt(sentAtMs + this.wake.lease_ttl_ms);
      this.retryBackoffMs = RUNTIME_TIMING.renewalRetryInitialBackoffMs;
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 409)) {
        this.lose(describeError(error));
        return;
      }
      unanswered = isTransient(error);
    } finally {
      if (this.renewalTimer !== undefined) clearTimeout(this.renewalTimer);
      this.renewalTimer = undefined;
    }
    // One given up when the next was due: that one goes out now, not a whole interval later.
    if (giveUp?.signal.aborted === true && this.keeping.renewalTimeout === 'interval') return this.schedule(0);
    if (unanswered && this.keeping.renewalRetry && !this.stopped && this.lostWith === undefined) {
      const retryInMs = Math.min(this.retryBackoffMs, Math.max(0, sentAtMs + this.renewalIntervalMs() - nowMs()));
      this.retryBackoffMs = Math.min(this.retryBackoffMs * 2, RUNTIME_TIMING.renewalRetryMaxBackoffMs);
      this.env.annotate('renewal-retry', { wakeId: this.wake.wake_id, retryInMs });
      return this.schedule(retryInMs);
    }
    this.schedule(this.renewalIntervalMs());
  }
}
