import type { FakeClock } from './FakeClock.ts';

/** An answer of a fake service, as the runtime's direct transport carries it. */
export interface FakeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a catch-up read of a shared-state stream does, as the test plants it: answer, 404, or a foreign item in front. */
export type PreloadOutcome = 'ok' | 'not-found' | 'foreign-item';

/** A user's offsets: the item count, zero-padded so that offsets order as strings (as the runtime compares them). */
export const offsetAfter = (count: number): string => `0000000000000000_${String(count).padStart(16, '0')}`;
const countOf = (offset: string): number => (offset === '-1' ? 0 : Number(offset.split('_')[1] ?? Number.NaN));

/**
 * An in-memory Durable Streams service, as a user writes one for a test: named JSON streams, catch-up reads from an
 * offset, long-polls held until an append or a 20 s timeout (on the fake clock), and the planted preload faults on
 * `shared/...` streams: the n-th catch-up read of a shared stream gets the n-th planned outcome, `ok` once the plan is
 * used up.
 */
export class FakeStreams {
  private readonly streams = new Map<string, unknown[]>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly appendListeners: Array<(stream: string) => void> = [];
  private preloadReads = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly preloadPlan: readonly PreloadOutcome[],
    private readonly longPollTimeoutMs: number,
  ) {}

  create(stream: string): void {
    if (!this.streams.has(stream)) this.streams.set(stream, []);
  }

  has(stream: string): boolean {
    return this.streams.has(stream);
  }

  tail(stream: string): string {
    return offsetAfter(this.streams.get(stream)?.length ?? 0);
  }

  /** Calls `listener` after each append (the pull-wake subscription watches its linked streams this way). */
  onAppend(listener: (stream: string) => void): void {
    this.appendListeners.push(listener);
  }

  append(stream: string, item: unknown): string {
    const items = this.streams.get(stream);
    if (!items) throw new Error(`no stream ${stream}`);
    items.push(item);
    const offset = offsetAfter(items.length);
    const held = this.waiting.get(stream) ?? [];
    this.waiting.delete(stream);
    for (const wake of held) wake();
    for (const listener of this.appendListeners) listener(stream);
    return offset;
  }

  /** `GET /v1/stream/<name>?offset=..&live=long-poll`. */
  async read(stream: string, offset: string, live: boolean): Promise<FakeAnswer> {
    if (!this.streams.has(stream)) return { status: 404, headers: {}, body: 'Stream not found' };
    const fault = !live && stream.startsWith('shared/') ? (this.preloadPlan[this.preloadReads++] ?? 'ok') : 'ok';
    if (fault === 'not-found') return { status: 404, headers: {}, body: 'Stream not found' };
    let from = offset === 'now' ? this.streams.get(stream)!.length : countOf(offset);
    if (!Number.isFinite(from)) return { status: 400, headers: {}, body: 'bad offset' };
    if (live && this.streams.get(stream)!.length <= from) {
      const arrived = await this.waitForAppend(stream);
      if (!arrived) return { status: 204, headers: { 'stream-next-offset': offsetAfter(from), 'stream-up-to-date': 'true' }, body: '' };
    }
    const items = this.streams.get(stream)!;
    from = Math.min(from, items.length);
    const batch = items.slice(from);
    // A foreign item: a non-state value in front of the batch, before up-to-date (a wake event of another subscription).
    const body = fault === 'foreign-item' ? [{ type: 'wake', subscription_id: 'sub:registering', stream, generation: 1, ts: Date.now() }, ...batch] : batch;
    return { status: 200, headers: { 'stream-next-offset': offsetAfter(items.length), 'stream-up-to-date': 'true', 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  private waitForAppend(stream: string): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const timer = this.clock.setTimer(this.longPollTimeoutMs, () => {
        if (settled) return;
        settled = true;
        resolve(false);
      });
      const list = this.waiting.get(stream) ?? [];
      list.push(() => {
        if (settled) return;
        settled = true;
        this.clock.clearTimer(timer);
        resolve(true);
      });
      this.waiting.set(stream, list);
    });
  }
}
