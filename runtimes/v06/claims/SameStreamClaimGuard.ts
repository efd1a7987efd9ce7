import { V06_TIMING } from '../config/timing.ts';
import type { BusyStreams } from './BusyStreams.ts';
import type { DeferredWakes } from './DeferredWakes.ts';

/** What the guard tells its runner. */
export interface ClaimGuardListener<T> {
  /** Claim `item` now: its stream was idle. */
  claim(item: T): void;
  /** `item` was displaced from the deferral store and will never be claimed (one-slot deferral only). */
  displaced(item: T): void;
}

/**
 * The same-stream claim guard of #4616 (the fix of B2): a wake event for a stream that has a claim in flight or a wake
 * running is not claimed — a second claim would mint a replacement write token and kill the running wake — but
 * deferred and looked at again every 25 ms until the stream drains, then claimed. What is kept of several deferred
 * events depends on the {@link DeferredWakes} store (the `deferral` switch).
 */
export class SameStreamClaimGuard<T> {
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly busy: BusyStreams,
    private readonly deferred: DeferredWakes<T>,
    private readonly listener: ClaimGuardListener<T>,
    private readonly retryMs: number = V06_TIMING.deferralRetryMs,
  ) {}

  /** A wake event for stream `key`: claimed at once when the stream is idle and nothing waits before it, else deferred. */
  offer(key: string, item: T): void {
    if (this.closed) return;
    if (!this.busy.isBusy(key) && !this.deferred.keys().includes(key)) {
      this.listener.claim(item);
      return;
    }
    for (const displaced of this.deferred.defer(key, item)) this.listener.displaced(displaced);
    this.scheduleRetry();
  }

  /** Stops claiming: drops the retry timer; returns every event still deferred (never to be claimed by this runner). */
  close(): T[] {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    return this.deferred.clear();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryDeferred();
    }, this.retryMs);
  }

  /** One event per drained stream: claiming it makes the stream busy again, so the next one waits its turn. */
  private retryDeferred(): void {
    if (this.closed) return;
    for (const key of this.deferred.keys()) {
      if (this.busy.isBusy(key)) continue;
      const item = this.deferred.take(key);
      if (item !== undefined) this.listener.claim(item);
    }
    if (this.deferred.keys().length > 0) this.scheduleRetry();
  }
}
