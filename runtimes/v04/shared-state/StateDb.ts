import type { JsonValue, SharedCollection, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import { BEGINNING_OFFSET } from '../../../protocol/streams/streamsProtocol.ts';
import type { StreamsApi } from '../clients/StreamsApi.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import { rowInsertEvent, type SharedStateWriter } from './stateEvents.ts';

/** A state-protocol change event as stored in a shared stream. */
interface StateEvent {
  readonly headers: { readonly operation?: string; readonly control?: string };
  readonly key?: string;
  readonly value?: { readonly value?: JsonValue };
}

/**
 * The fast tier's stand-in for a `@durable-streams/state` StreamDB over one shared stream. It keeps the library's
 * observable behaviour that matters to the wake path:
 * - `preload()` reads the stream to up-to-date and applies each item through the state event guards, which use
 *   `'control' in event.headers`: a foreign item without headers makes the guard itself throw the TypeError.
 * - A missing stream rejects with a 404.
 * - The consumer is marked started before its first read, so a second `preload()` on a DB whose first one failed
 *   never settles (the trap for a naive retry); after a successful one it resolves at once.
 */
export class StateDb implements SharedStateDb {
  private readonly rows = new Map<string, JsonValue>();
  private started = false;
  private loaded = false;

  readonly collection: SharedCollection = {
    has: (key) => this.rows.has(key),
    get: (key) => this.rows.get(key),
    toArray: () => [...this.rows].map(([key, value]) => ({ key, value })),
  };

  constructor(
    private readonly streams: StreamsApi,
    readonly stream: string,
    private readonly write: SharedStateWriter,
    /** Aborts the preload's read (the wake lost its lease): a read on a connection that hangs would never end. */
    private readonly signal?: AbortSignal,
    /** Headers of the preload's read: the wake's token as `authorization`, which names the reading entity. */
    private readonly readHeaders?: Readonly<Record<string, string>>,
  ) {}

  async preload(): Promise<void> {
    if (this.loaded) return;
    if (this.started) return new Promise<void>(() => {});
    this.started = true;
    const result = await this.streams.read(this.stream, BEGINNING_OFFSET, { ...(this.signal ? { signal: this.signal } : {}), ...(this.readHeaders ? { headers: this.readHeaders } : {}) });
    this.applyBatch(result.items);
    this.loaded = true;
  }

  /** Appends an insert to the shared stream, then applies it locally. */
  async insert(row: StateRow): Promise<void> {
    await this.write(rowInsertEvent(row));
    this.rows.set(row.key, row.value);
  }

  private applyBatch(items: readonly unknown[]): void {
    for (const item of items) {
      const event = item as StateEvent;
      // The runtime's pre-batch hook checks the control guard first; on an item without headers this line throws
      // "Cannot use 'in' operator to search for 'control' in undefined", exactly as the real guard does.
      if ('control' in event.headers) continue;
      if (event.headers.operation === 'insert' && typeof event.key === 'string') {
        this.rows.set(event.key, event.value?.value ?? null);
      }
    }
  }
}
