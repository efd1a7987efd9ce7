import type { SharedCollection, StateRow } from '../../../protocol/entity/EntityHandler.ts';

/**
 * A shared-state DB as the wake path uses it (`createSharedStateDb` upstream): one per handle and attempt, preloaded
 * before the handle is wired. Two implementations: the fast tier's {@link StateDb} and the library tier's
 * `LibraryStateDb`, a real `@durable-streams/state` StreamDB. Both read the shared stream from the Durable Streams
 * service and write through the agents server with the wake's write token.
 */
export interface SharedStateDb {
  /** The shared stream's name under the Durable Streams root. */
  readonly stream: string;
  /** The loaded rows, as the raw `__electricCollection` accessor hands them out. */
  readonly collection: SharedCollection;
  /** Reads the stream to up-to-date. A second call after a failed one never settles, in both tiers. */
  preload(): Promise<void>;
  /** Appends an insert to the shared stream; the row is visible through {@link collection} once it resolves. */
  insert(row: StateRow): Promise<void>;
}
