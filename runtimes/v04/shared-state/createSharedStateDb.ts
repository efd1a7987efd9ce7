import { sharedStateStream } from '../../../protocol/streams/streamsProtocol.ts';
import type { V04Environment } from '../V04Environment.ts';
import { LibraryStateDb } from './LibraryStateDb.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import type { SharedStateWriter } from './stateEvents.ts';
import { StateDb } from './StateDb.ts';

/** How a shared-state DB reaches its stream on behalf of a wake. */
export interface SharedStateAccess {
  /** Appends a change (through the agents server, with the wake's token). */
  readonly write: SharedStateWriter;
  /** Headers of the preload's reads: the wake's token, which names the entity whose link authorises the read. */
  readonly readHeaders: Readonly<Record<string, string>>;
  /** Aborts the preload. */
  readonly signal?: AbortSignal;
}

/** A fresh shared-state DB for the shared id `sharedId`, of the tier the `streams` switch selects. */
export function createSharedStateDb(env: V04Environment, sharedId: string, access: SharedStateAccess): SharedStateDb {
  const stream = sharedStateStream(sharedId);
  const { write, readHeaders, signal } = access;
  return env.config.streams === 'real'
    ? new LibraryStateDb(env.host.urls.durableStreams, env.host.fetch, stream, write, signal, readHeaders)
    : new StateDb(env.streams, stream, write, signal, readHeaders);
}
