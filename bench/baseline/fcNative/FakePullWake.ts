import type { FakeClock } from './FakeClock.ts';
import type { FakeStreams } from './FakeStreams.ts';

/** A wake granted to a runner: what the agents server's claim answer is built from. */
export interface GrantedWake {
  readonly wakeId: string;
  readonly generation: number;
  readonly token: string;
  readonly streams: ReadonlyArray<{ readonly stream: string; readonly acked_offset: string; readonly tail_offset: string; readonly has_pending: boolean }>;
}

/**
 * One pull-wake subscription, as a user reads its rules from the Durable Streams docs and writes them down: a write to a
 * linked stream issues a wake (next generation, one wake event on the runner's wake stream) when none is outstanding;
 * a claim leases the outstanding wake to one runner for `leaseTtlMs` (404-free: it answers `busy` while held and
 * `idle` without pending work); done with the lease's token acks the streams and ends the wake; an expired lease ends
 * it too. Whenever a wake ends with work still pending, the next one is issued at once.
 */
export class FakePullWake {
  private generation = 0;
  private wakeId: string | null = null;
  private holder: { readonly token: string; readonly leaseTimer: number } | null = null;
  private readonly acked = new Map<string, string>();
  private minted = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly streams: FakeStreams,
    readonly id: string,
    private readonly linked: readonly string[],
    private readonly wakeStream: string,
    private readonly leaseTtlMs: number,
  ) {
    for (const stream of linked) this.acked.set(stream, streams.tail(stream));
    streams.onAppend((stream) => {
      if (linked.includes(stream) && this.wakeId === null && this.holder === null && this.pending()) this.issueWake(stream);
    });
  }

  claim(): GrantedWake | 'busy' | 'idle' {
    if (this.holder !== null) return 'busy';
    if (!this.pending()) return 'idle';
    if (this.wakeId === null) this.issueWake(this.linked.find((stream) => this.hasPending(stream)) ?? '');
    this.minted += 1;
    const token = `token-${this.minted}`;
    this.holder = { token, leaseTimer: this.clock.setTimer(this.leaseTtlMs, () => this.endWake()) };
    return {
      wakeId: this.wakeId!,
      generation: this.generation,
      token,
      streams: this.linked.map((stream) => ({ stream, acked_offset: this.acked.get(stream)!, tail_offset: this.streams.tail(stream), has_pending: this.hasPending(stream) })),
    };
  }

  /** Done from the holder of `token`: applies the acks (never backwards) and ends the wake; false when fenced. */
  done(token: string, generation: unknown, acks: ReadonlyArray<{ readonly stream?: unknown; readonly offset?: unknown }>): { readonly nextWake: boolean } | false {
    if (!this.holds(token, generation)) return false;
    for (const ack of acks) {
      const stream = String(ack.stream);
      const offset = String(ack.offset);
      const current = this.acked.get(stream);
      if (current !== undefined && offset > current && offset <= this.streams.tail(stream)) this.acked.set(stream, offset);
    }
    return { nextWake: this.endWake() };
  }

  /** Extends the lease of the holder of `token` (only `lease-renewal=renew` asks). */
  renew(token: string, generation: unknown): boolean {
    if (!this.holds(token, generation)) return false;
    this.clock.clearTimer(this.holder!.leaseTimer);
    this.holder = { token, leaseTimer: this.clock.setTimer(this.leaseTtlMs, () => this.endWake()) };
    return true;
  }

  private holds(token: string, generation: unknown): boolean {
    return this.holder !== null && this.holder.token === token && generation === this.generation;
  }

  private endWake(): boolean {
    if (this.holder) this.clock.clearTimer(this.holder.leaseTimer);
    this.holder = null;
    this.wakeId = null;
    if (!this.pending()) return false;
    this.issueWake(this.linked.find((stream) => this.hasPending(stream)) ?? '');
    return true;
  }

  private issueWake(triggeredBy: string): void {
    this.generation += 1;
    this.wakeId = `wake-${this.generation}`;
    this.streams.append(this.wakeStream, { type: 'wake', subscription_id: this.id, stream: triggeredBy, generation: this.generation, ts: Date.now() });
  }

  private pending(): boolean {
    return this.linked.some((stream) => this.hasPending(stream));
  }

  private hasPending(stream: string): boolean {
    return this.streams.tail(stream) > this.acked.get(stream)!;
  }
}
