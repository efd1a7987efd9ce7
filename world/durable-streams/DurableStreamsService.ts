import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { HttpError, streamNotFound } from '../network/HttpError.ts';
import type { ServiceEndpoint } from '../network/Network.ts';
import { BEGINNING_OFFSET, OFFSET_PATTERN, TAIL_OFFSET, formatOffset } from './offsets.ts';

/** One stored item and the offset just after it (reading from that offset returns what follows). */
export interface StreamItem {
  readonly offset: string;
  readonly value: TraceValue;
}

/** The answer to a catch-up or live read. */
export interface ReadResult {
  readonly items: readonly StreamItem[];
  /** Offset to read from next: the last item's offset, or the tail when there are none. */
  readonly nextOffset: string;
  readonly upToDate: boolean;
}

interface StoredStream {
  readonly items: StreamItem[];
  byteCount: number;
  /** Live readers waiting for the next append. */
  waiters: Array<() => void>;
}

/** Listener called after every append (pull-wake subscriptions hang off it). */
export type AppendListener = (path: string, item: StreamItem) => void;

/**
 * The Durable Streams service: append-only streams addressed by path, with offsets in the reference format.
 * Data survives every fault the simulation injects; only the processes around it come and go.
 */
export class DurableStreamsService implements ServiceEndpoint {
  readonly name = 'durable-streams';
  readonly up = true;
  private readonly streams = new Map<string, StoredStream>();
  private readonly appendListeners: AppendListener[] = [];

  constructor(private readonly sim: SimContext) {}

  onAppend(listener: AppendListener): void {
    this.appendListeners.push(listener);
  }

  has(path: string): boolean {
    return this.streams.has(path);
  }

  create(path: string): void {
    if (!this.streams.has(path)) this.streams.set(path, { items: [], byteCount: 0, waiters: [] });
  }

  tailOffset(path: string): string {
    return formatOffset(this.stream(path).byteCount);
  }

  append(path: string, value: TraceValue): string {
    const stream = this.stream(path);
    stream.byteCount += JSON.stringify(value).length + 1;
    const item: StreamItem = { offset: formatOffset(stream.byteCount), value };
    stream.items.push(item);
    const waiters = stream.waiters;
    stream.waiters = [];
    for (const wake of waiters) wake();
    for (const listener of this.appendListeners) listener(path, item);
    return item.offset;
  }

  /** Catch-up read: every item after `fromOffset` (`-1`: from the start; `now`: none, just the tail). */
  read(path: string, fromOffset: string): ReadResult {
    if (!OFFSET_PATTERN.test(fromOffset)) throw new HttpError(400, 'INVALID_OFFSET', `invalid offset ${fromOffset}`);
    const stream = this.stream(path);
    const tail = formatOffset(stream.byteCount);
    if (fromOffset === TAIL_OFFSET) return { items: [], nextOffset: tail, upToDate: true };
    const items =
      fromOffset === BEGINNING_OFFSET ? stream.items.slice() : stream.items.filter((item) => item.offset > fromOffset);
    return { items, nextOffset: items.length > 0 ? items[items.length - 1]!.offset : tail, upToDate: true };
  }

  /**
   * Live (long-poll) read: answers at once when items follow `fromOffset`, otherwise at the next append or after
   * `timeoutMs` of virtual time with no items.
   */
  readLive(path: string, fromOffset: string, timeoutMs: number): Promise<ReadResult> {
    const immediate = this.read(path, fromOffset);
    if (immediate.items.length > 0) return Promise.resolve(immediate);
    const afterOffset = immediate.nextOffset;
    return new Promise((resolve) => {
      let settled = false;
      const stream = this.stream(path);
      const finish = (): void => {
        if (settled) return;
        settled = true;
        this.sim.scheduler.cancel(timer);
        stream.waiters = stream.waiters.filter((waiter) => waiter !== finish);
        resolve(this.read(path, afterOffset));
      };
      const timer = this.sim.scheduler.schedule(timeoutMs, this.name, `long-poll timeout ${path}`, finish);
      stream.waiters.push(finish);
    });
  }

  private stream(path: string): StoredStream {
    const stream = this.streams.get(path);
    if (!stream) throw streamNotFound();
    return stream;
  }
}
