import { createStateSchema, createStreamDB, isControlEvent } from '@durable-streams/state/db';
import type { JsonValue, SharedCollection, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { sharedStateStream, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { rowInsert, SHARED_ROW_KEY_FIELD, SHARED_ROW_TYPE, type SharedRowWriter } from './rowChanges.ts';

/** A stored row as the collection holds it: the `{ key, value }` a change's value carries. */
interface StoredRow {
  readonly key: string;
  readonly value: JsonValue;
}

/**
 * The rows collection's Standard Schema. TanStack DB applies a schema to local mutations only (synced rows are taken
 * as stored), and this runtime never mutates the collection (writes go through the agents server), so it states the
 * row type and passes every value through.
 */
const storedRowSchema = {
  '~standard': { version: 1 as const, vendor: 'wake-sim-v06', validate: (stored: unknown) => ({ value: stored as StoredRow }) },
};

const SHARED_STATE = createStateSchema({ rows: { schema: storedRowSchema, type: SHARED_ROW_TYPE, primaryKey: SHARED_ROW_KEY_FIELD } });

/**
 * One shared-state DB: a real `@durable-streams/state` StreamDB over the shared stream, read with the process's `fetch`
 * up to its current end (`live: false`: a wake needs the rows as of its wiring, and a catch-up read leaves no poll
 * open behind it). Writes go through the agents server with the wake's write token; the rows a wake wrote are laid
 * over what the DB loaded, so the wake reads its own writes.
 *
 * What the real packages do here, the runtime inherits: `preload()` of a stream that is not there rejects with the
 * client's 404 `FetchError`; `preload()` again on a DB whose preload failed never settles (its consumer counts as
 * started), so a retry must build a new DB; and the pre-batch hook below uses the state package's own control guard,
 * `'control' in event.headers`, which throws `Cannot use 'in' operator to search for 'control' in undefined` on an
 * item without headers — the transient TypeError of bug report #4625.
 */
export class SharedStateDb {
  private readonly db;
  private readonly written = new Map<string, JsonValue>();
  /** Control events (snapshot boundaries, resets) seen before their batch was applied. */
  private controlEvents = 0;

  readonly collection: SharedCollection = {
    has: (key) => this.written.has(key) || this.db.collections.rows.has(key),
    get: (key) => (this.written.has(key) ? this.written.get(key) : this.db.collections.rows.get(key)?.value),
    toArray: () => {
      const rows = new Map<string, JsonValue>();
      for (const stored of this.db.collections.rows.toArray) rows.set(stored.key, stored.value);
      for (const [key, value] of this.written) rows.set(key, value);
      return [...rows].map(([key, value]) => ({ key, value }));
    },
  };

  constructor(
    fetch: FetchFunction,
    streamsBaseUrl: string,
    readonly sharedId: string,
    private readonly write: SharedRowWriter,
  ) {
    this.db = createStreamDB({
      streamOptions: { url: `${streamsBaseUrl}${streamPath(sharedStateStream(sharedId))}`, contentType: 'application/json', fetch },
      state: SHARED_STATE,
      live: false,
      onBeforeBatch: (batch) => {
        // Like the agents runtime's pre-batch hook: note control events before the batch's changes are applied.
        for (const event of batch.items) if (isControlEvent(event)) this.controlEvents += 1;
      },
    });
  }

  /** Loads the stream's rows; see the class comment for how it fails. */
  preload(): Promise<void> {
    return this.db.preload();
  }

  /** Writes `row` through the agents server, then shows it locally. */
  async insert(row: StateRow): Promise<void> {
    await this.write(rowInsert(row));
    this.written.set(row.key, row.value);
  }

  /** Drops the DB's stream consumer (a failed attempt's DB is never used again). */
  close(): void {
    this.db.close();
  }

  /** Control events the stream carried before its batches were applied (annotated when the handle is wired). */
  get controlEventsSeen(): number {
    return this.controlEvents;
  }
}
