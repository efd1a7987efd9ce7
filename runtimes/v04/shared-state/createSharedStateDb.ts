import { sharedStateStream } from '../../../protocol/streams/streamsProtocol.ts';
import type { V04Environment } from '../V04Environment.ts';
import { LibraryStateDb } from './LibraryStateDb.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import type { SharedStateWriter } from './stateEvents.ts';
import { StateDb } from './StateDb.ts';

/**
 * A fresh shared-state DB for the shared id `sharedId`, of the tier the `streams` switch selects; `signal` aborts its
 * preload.
 */
export function createSharedStateDb(env: V04Environment, sharedId: string, write: SharedStateWriter, signal?: AbortSignal): SharedStateDb {
  const stream = sharedStateStream(sharedId);
  return env.config.streams === 'real' ? new LibraryStateDb(env.host.urls.durableStreams, env.host.fetch, stream, write, signal) : new StateDb(env.streams, stream, write, signal);
}
