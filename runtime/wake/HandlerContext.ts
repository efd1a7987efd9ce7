import type { SharedStateHandle, SharedStateMode } from '../shared-state/SharedStateHandle.ts';

/** A shared-state source to observe: `db(id)` connects to an existing shared stream, `mkdb(id)` creates one. */
export interface DbSource {
  readonly kind: 'db';
  readonly id: string;
  readonly mode: SharedStateMode;
}

export const db = (id: string): DbSource => ({ kind: 'db', id, mode: 'connect' });
export const mkdb = (id: string): DbSource => ({ kind: 'db', id, mode: 'create' });

/** Durable Streams paths under this prefix hold shared state. */
export const SHARED_STREAM_PREFIX = '/shared/';

/** The path of the Durable Stream behind a shared-state id. */
export const sharedStreamPath = (id: string): string => `${SHARED_STREAM_PREFIX}${id}`;

/** What an entity handler sees of its wake. */
export interface HandlerContext {
  readonly entity: string;
  readonly wakeId: string;
  nowMs(): number;
  observe(source: DbSource): Promise<SharedStateHandle>;
}

/** User code run for each wake of an entity. */
export type EntityHandler = (ctx: HandlerContext) => Promise<void>;
