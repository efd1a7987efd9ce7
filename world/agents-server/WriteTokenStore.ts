import type { ClaimTokenKeying } from './ClaimTokenKeying.ts';

/** What a write token authorises: one claimed wake of one entity. */
export interface WriteGrant {
  readonly token: string;
  readonly wakeId: string;
  readonly subscription: string;
  readonly generation: number;
  readonly entity: string;
  /** The consumer the claim was granted to: the runner. */
  readonly consumer: string;
  /** The Durable Streams claim token behind the grant, used to ack the wake. */
  readonly streamsToken: string;
}

/**
 * The agents server's in-memory store of claim write tokens (`ClaimWriteTokenStore` upstream): a token per claimed
 * wake, minted by the claim route, checked by done, manifest commits and shared-state writes, dropped when the wake is
 * done. It lives in memory only, so a server restart loses every token and the writes of wakes in flight fail with 401.
 */
export class WriteTokenStore {
  private grants = new Map<string, WriteGrant>();
  private minted = 0;
  /** Per consumer, the subscription it claimed last: `per-consumer`'s one stream per consumer (B1). */
  private readonly primary = new Map<string, string>();

  /** Tokens per claim (`per-stream`, the fix and default), or one per consumer (`per-consumer`, B1's defect). */
  constructor(private readonly keying: ClaimTokenKeying = 'per-stream') {}

  /**
   * A new token for a granted claim. Under `per-consumer` the consumer's other live tokens are deleted (returned, so
   * the server can observe what it dropped) and the claim's stream becomes the consumer's primary stream.
   */
  mint(grant: Omit<WriteGrant, 'token'>): { readonly grant: WriteGrant; readonly evicted: readonly WriteGrant[] } {
    this.minted += 1;
    const full: WriteGrant = { ...grant, token: `wt_${this.minted.toString(16).padStart(12, '0')}` };
    const evicted = this.keying === 'per-consumer' ? [...this.grants.values()].filter((live) => live.consumer === grant.consumer) : [];
    for (const gone of evicted) this.grants.delete(gone.token);
    if (this.keying === 'per-consumer') this.primary.set(grant.consumer, grant.subscription);
    this.grants.set(full.token, full);
    return { grant: full, evicted };
  }

  /**
   * The subscription whose claim row a done of `consumer` releases when it is released without a token: the one the
   * done names (`per-stream`), or the consumer's primary stream, the one it claimed last (`per-consumer`, B1).
   */
  releasedStream(consumer: string, named: string): string {
    return this.keying === 'per-consumer' ? (this.primary.get(consumer) ?? named) : named;
  }

  /** The grant behind `token`, if it is live. */
  find(token: string | undefined): WriteGrant | undefined {
    return token === undefined ? undefined : this.grants.get(token);
  }

  revoke(token: string): void {
    this.grants.delete(token);
  }

  /** Every live grant (for reports of what a restart lost). */
  live(): WriteGrant[] {
    return [...this.grants.values()];
  }

  /** A restart: memory is gone. */
  forgetAll(): void {
    this.grants = new Map();
    this.primary.clear();
  }
}
