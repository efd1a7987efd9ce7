import type { WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import { describeError, HttpStatusError } from '../errors.ts';
import type { V04Environment } from '../V04Environment.ts';

/** Renewals per lease: one every third of its length leaves two chances before it runs out. */
const RENEWALS_PER_LEASE = 3;

/**
 * `lease-renewal=renew`: keeps a running wake's lease alive by renewing it every third of `lease_ttl_ms`. A renewal
 * the server refuses (401: the write token is gone; 409: the claim was fenced) means another wake may already own the
 * entity, so the wake has lost its claim and must not go on; a renewal that failed for want of an answer (a 5xx, a
 * dropped connection) is tried again at the next tick, while the lease may still be alive.
 */
export class LeaseRenewer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lostWith: string | undefined;
  private stopped = false;

  /** Aborted when a renewal is refused: the wake's requests in flight (a preload on a hung connection) end at once. */
  private readonly lost = new AbortController();

  constructor(
    private readonly env: V04Environment,
    private readonly wake: WakeNotification,
  ) {}

  /** Aborts once the wake has lost its claim. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  /** Why the wake lost its claim, if a renewal was refused. */
  get lostReason(): string | undefined {
    return this.lostWith;
  }

  start(): void {
    this.schedule();
  }

  /** Stops renewing; called when the wake ends, however it ends. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.lostWith !== undefined) return;
    this.timer = setTimeout(() => void this.renewOnce(), Math.max(1, Math.floor(this.wake.lease_ttl_ms / RENEWALS_PER_LEASE)));
  }

  private async renewOnce(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    try {
      await this.env.agents.renew(this.wake.wake_id, this.wake.write_token, { subscription_id: this.wake.subscription_id, generation: this.wake.generation });
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 409)) {
        this.lostWith = describeError(error);
        this.env.annotate('lease-lost', { entity: this.wake.entity.id, wakeId: this.wake.wake_id, error: this.lostWith });
        this.lost.abort();
        return;
      }
    }
    this.schedule();
  }
}
