import { createStateSchema } from '@durable-streams/state';
import { createStreamDB } from '@durable-streams/state/db';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { HttpPort } from '../ports.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import type { SharedCollection, StateRow } from './StateDb.ts';

/** The change-event type of shared-state rows, and the field that keys them. */
const ROW_TYPE = 'row';
const ROW_KEY = 'key';

interface StoredRow {
  readonly key: string;
  readonly value: TraceValue;
}

/** Rows are plain JSON written by the runtime itself: the schema accepts them as they are. */
const acceptStoredRow = {
  '~standard': { version: 1 as const, vendor: 'wake-sim', validate: (value: unknown) => ({ value: value as StoredRow }) },
};

const ROW_SCHEMA = createStateSchema({ rows: { schema: acceptStoredRow, type: ROW_TYPE, primaryKey: ROW_KEY } });

/**
 * The library tier's shared-state DB: a real `@durable-streams/state` StreamDB over the world's in-process `fetch`.
 * What the fast tier's {@link StateDb} imitates happens here for real: a missing stream rejects `preload()` with the
 * client's `FetchError` 404; a non-state item before up-to-date makes the runtime's pre-batch hook (which checks the
 * control guard first, as the agents runtime's does) throw `Cannot use 'in' operator to search for 'control' in
 * undefined`; and `preload()` again on a DB whose preload failed never settles.
 *
 * The DB reads catch-up only (`live: false`): a wake needs the rows as of its preload, and a live consumer per DB
 * would hold a long-poll open in every simulated run.
 */
export class LibraryStateDb implements SharedStateDb {
  private readonly db;
  /** Rows this DB appended: the StreamDB is not live, so its own inserts are layered over what it loaded. */
  private readonly written = new Map<string, TraceValue>();

  readonly collection: SharedCollection = {
    has: (key) => this.written.has(key) || this.db.collections.rows.has(key),
    get: (key) => (this.written.has(key) ? this.written.get(key) : this.db.collections.rows.get(key)?.value),
    toArray: () => {
      const loaded = this.db.collections.rows.toArray.map((row) => ({ key: row.key, value: row.value }));
      return [...loaded.filter((row) => !this.written.has(row.key)), ...[...this.written].map(([key, value]) => ({ key, value }))];
    },
  };

  constructor(
    http: HttpPort,
    readonly path: string,
  ) {
    this.db = createStreamDB({
      streamOptions: { url: `${http.origin}${path}`, contentType: 'application/json', fetch: http.fetch },
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
    const event = { type: ROW_TYPE, key: row.key, value: { key: row.key, value: row.value }, headers: { operation: 'insert' } };
    await this.db.stream.append(JSON.stringify(event));
    this.written.set(row.key, row.value);
  }
}
