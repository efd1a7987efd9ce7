import type { StreamsTier } from '../config.ts';
import type { RuntimeEnvironment } from '../ports.ts';
import { LibraryStateDb } from './LibraryStateDb.ts';
import type { SharedStateDb } from './SharedStateDb.ts';
import { StateDb } from './StateDb.ts';

/** A fresh shared-state DB on `path`, of the tier the `streams` switch selects. */
export function createSharedStateDb(env: RuntimeEnvironment, tier: StreamsTier, path: string): SharedStateDb {
  return tier === 'real' ? new LibraryStateDb(env.http, path) : new StateDb(env.streams, path);
}
