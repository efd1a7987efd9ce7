import type { JsonValue, StateRow } from '../../../protocol/entity/EntityHandler.ts';

/** The change-event type of shared-state rows, and the field of a row's value that keys it. */
export const ROW_TYPE = 'row';
export const ROW_KEY = 'key';

/**
 * A state-protocol insert of `row`, as both tiers write it: `{ type: 'row', key, value: { key, value }, headers:
 * { operation: 'insert' } }`. The value repeats the key because `@durable-streams/state` keys a collection by a field
 * of the value.
 */
export interface RowInsertEvent {
  readonly type: typeof ROW_TYPE;
  readonly key: string;
  readonly value: { readonly key: string; readonly value: JsonValue };
  readonly headers: { readonly operation: 'insert' };
}

export function rowInsertEvent(row: StateRow): RowInsertEvent {
  return { type: ROW_TYPE, key: row.key, value: { key: row.key, value: row.value }, headers: { operation: 'insert' } };
}

/** Appends a state event to a shared-state stream on behalf of the wake (through the agents server, with its token). */
export type SharedStateWriter = (event: RowInsertEvent) => Promise<void>;
