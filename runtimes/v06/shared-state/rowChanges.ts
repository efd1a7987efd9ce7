import type { SharedStateWriteRequest } from '../../../protocol/agents/agentsRoutes.ts';
import type { StateRow } from '../../../protocol/entity/EntityHandler.ts';

/** The state-protocol type of every shared-state row this runtime writes; its collection reads only this type. */
export const SHARED_ROW_TYPE = 'shared-row';
/** The field of a stored row that keys it: the row is stored whole, `{ key, value }`. */
export const SHARED_ROW_KEY_FIELD = 'key';

/**
 * The state change that inserts `row`. The change's value is the row itself, because `@durable-streams/state` keys a
 * collection by a field of the value: `{ type, key, value: { key, value }, headers: { operation: 'insert' } }`.
 */
export function rowInsert(row: StateRow): SharedStateWriteRequest {
  return { type: SHARED_ROW_TYPE, key: row.key, value: { key: row.key, value: row.value }, headers: { operation: 'insert' } };
}

/** Sends one state change to a shared-state stream on behalf of the wake (the agents server, with its write token). */
export type SharedRowWriter = (change: SharedStateWriteRequest) => Promise<void>;
