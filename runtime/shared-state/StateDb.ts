import type { TraceValue } from '../../sim/trace/Trace.ts';
import { BEGINNING_OFFSET } from '../../world/durable-streams/offsets.ts';
import type { StreamItem } from '../../world/durable-streams/DurableStreamsService.ts';
import type { StreamsClient } from '../ports.ts';
import type { SharedStateDb } from './SharedStateDb.ts';

/** A row of a shared-state collection. */
export interface StateRow {
  readonly key: string;
  readonly value: TraceValue;
}

/** Read access to a loaded collection: what `__electricCollection` hands out. */
export interface SharedCollection {
  has(key: string): boolean;
  get(key: string): TraceValue | undefined;
  toArray(): StateRow[];
}

/** A state-protocol change event as stored in a shared stream. */
interface StateEvent {
  readonly headers: { readonly operation?: string; readonly control?: string };
  readonly key?: string;
  readonly value?: TraceValue;
}

/**
 * The fast tier's stand-in for a `@durable-streams/state` StreamDB over one shared stream. It keeps the library's
 * observable behaviour that matters to the wake path:
 * - `preload()` reads the stream to up-to-date and applies each item through the state event guards, which use
 *   `'control' in event.headers`: a foreign item without headers makes the guard itself throw the TypeError.
 * - A missing stream rejects with the client's 404.
 * - The consumer is marked started before its first read, so a second `preload()` on a DB whose first one failed
 *   never settles (the trap for a naive retry); after a successful one it resolves at once.
 */
export class StateDb implements SharedStateDb {
  private readonly rows = new Map<string, TraceValue>();
  private started = false;
  private loaded = false;

  readonly collection: SharedCollection = {
    has: (key) => this.rows.has(key),
    get: (key) => this.rows.get(key),
    toArray: () => [...this.rows].map(([key, value]) => ({ key, value })),
  };

  constructor(
    private readonly streams: StreamsClient,
    readonly path: string,
  ) {}

  async preload(): Promise<void> {
    if (this.loaded) return;
    if (this.started) return new Promise<void>(() => {});
    this.started = true;
    const result = await this.streams.read(this.path, BEGINNING_OFFSET);
    this.applyBatch(result.items);
    this.loaded = true;
  }

  /** Appends an insert to the shared stream, then applies it locally. */
  async insert(row: StateRow): Promise<void> {
    const event: StateEvent = { headers: { operation: 'insert' }, key: row.key, value: row.value };
    await this.streams.append(this.path, { ...event, headers: { ...event.headers } });
    this.rows.set(row.key, row.value);
  }

  private applyBatch(items: readonly StreamItem[]): void {
    for (const item of items) {
      const event = item.value as unknown as StateEvent;
      // The runtime's pre-batch hook checks the control guard first; on an item without headers this line throws
      // "Cannot use 'in' operator to search for 'control' in undefined", exactly as the real guard does.
      if ('control' in event.headers) continue;
      if (event.headers.operation === 'insert' && typeof event.key === 'string') {
        this.rows.set(event.key, event.value ?? null);
      }
    }
  }
}
