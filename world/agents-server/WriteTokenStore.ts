/** What a write token authorises: one claimed wake of one entity. */
export interface WriteGrant {
  readonly token: string;
  readonly wakeId: string;
  readonly subscription: string;
  readonly generation: number;
  readonly entity: string;
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

  mint(grant: Omit<WriteGrant, 'token'>): WriteGrant {
    this.minted += 1;
    const full: WriteGrant = { ...grant, token: `wt_${this.minted.toString(16).padStart(12, '0')}` };
    this.grants.set(full.token, full);
    return full;
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
  }
}
