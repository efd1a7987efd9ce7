import { createStateSchema } from '@durable-streams/state';
import { createStreamDB } from '@durable-streams/state/db';
import type { JsonValue, SharedCollection, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import { ROW_KEY, ROW_TYPE, rowInsertEvent, type SharedStateWriter } from './stateEvents.ts';

interface StoredRow {
  readonly key: string;
  readonly value: JsonValue;
}

/** Rows are plain JSON written by the runtime itself: the schema accepts them as they are. */
const acceptStoredRow = {
  '~standard': { version: 1 as const, vendor: 'wake-sim', validate: (value: unknown) => ({ value: value as StoredRow }) },
};

const ROW_SCHEMA = createStateSchema({ rows: { schema: acceptStoredRow, type: ROW_TYPE, primaryKey: ROW_KEY } });

/**
 * The library tier's shared-state DB: a real `@durable-streams/state` StreamDB over the host's `fetch`. What the fast
 * tier's `StateDb` imitates happens here for real: a missing stream rejects `preload()` with the client's `FetchError`
 * 404; a non-state item before up-to-date makes the runtime's pre-batch hook (which checks the control guard first, as
 * the agents runtime's does) throw `Cannot use 'in' operator to search for 'control' in undefined`; and `preload()`
 * again on a DB whose preload failed never settles.
 *
 * The DB reads catch-up only (`live: false`): a wake needs the rows as of its preload. Writes go through the agents
 * server with the wake's token, so the DB's own inserts are layered over what it loaded.
 */
export class LibraryStateDb implements SharedStateDb {
  private readonly db;
  private readonly written = new Map<string, JsonValue>();

  readonly collection: SharedCollection = {
    has: (key) => this.written.has(key) || this.db.collections.rows.has(key),
    get: (key) => (this.written.has(key) ? this.written.get(key) : this.db.collections.rows.get(key)?.value),
    toArray: () => {
      const loaded = this.db.collections.rows.toArray.map((row) => ({ key: row.key, value: row.value }));
      return [...loaded.filter((row) => !this.written.has(row.key)), ...[...this.written].map(([key, value]) => ({ key, value }))];
    },
  };

  constructor(
    baseUrl: string,
    fetch: FetchFunction,
    readonly stream: string,
    private readonly write: SharedStateWriter,
    /** Aborts the preload's reads (the wake lost its lease). */
    signal?: AbortSignal,
    /** Headers of the preload's reads: the wake's token as `authorization`, which names the reading entity. */
    readHeaders?: Readonly<Record<string, string>>,
  ) {
    this.db = createStreamDB({
      streamOptions: { url: `${baseUrl}${streamPath(stream)}`, contentType: 'application/json', fetch, ...(signal ? { signal } : {}), ...(readHeaders ? { headers: { ...readHeaders } } : {}) },
      state: ROW_SCHEMA,
      live: false,
      onBeforeBatch: (batch) => {
        // The agents runtime's pre-batch hook looks for control events first; on an item with no headers the `in`
        // operator throws, which is the TypeError of the bug report.
        for (const item of batch.items) if ('control' in (item as { headers: object }).headers) continue;
      },
    });
  }

  preload(): Promise<void> {
    return this.db.preload();
  }

  async insert(row: StateRow): Promise<void> {
    await this.write(rowInsertEvent(row));
    this.written.set(row.key, row.value);
  }
}
