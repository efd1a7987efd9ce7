import { AGENTS_ROUTES, bearer } from '../../../protocol/agents/agentsRoutes.ts';
import type { WakeSharedState } from '../../../runtimes/v04/wake/WiringChain.ts';
import type { JsonValue } from '../../../protocol/entity/EntityHandler.ts';
import { sharedStateStream, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { V04Config } from '../../../runtimes/v04/config.ts';
import { StateDb } from '../../../runtimes/v04/shared-state/StateDb.ts';
import type { SharedStateWriter } from '../../../runtimes/v04/shared-state/stateEvents.ts';
import type { V04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import type { SimResponse } from '../../../world/http/SimResponse.ts';
import { FakeHost, inTurn, jsonAnswer, streamAnswer, textAnswer } from './fakeHost.ts';

export const SHARED_ID = 'digest';
/** The path of the shared-state stream `id` on the Durable Streams service. */
export const sharedPath = (id: string): string => streamPath(sharedStateStream(id));
/** The path of the shared-state write route of {@link SHARED_ID}. */
export const ROWS_PATH = AGENTS_ROUTES.sharedStateRows(SHARED_ID);
/** The write token of the wake the shared-state DBs of these tests belong to. */
export const WRITE_TOKEN = 'wt_000000000001';
/** The offset the agents server answers every shared-state write with. */
const WRITTEN_OFFSET = formatOffset(1_000);

/**
 * A state-protocol insert as a shared stream stores it. Written out here rather than built with the runtime's own
 * `rowInsertEvent`, so that a change of the format the runtime writes or reads shows in these tests.
 */
export const insertEvent = (key: string, value: JsonValue) => ({ type: 'row', key, value: { key, value }, headers: { operation: 'insert' } });

/** One read of a shared stream holding the one row `key = value`. */
export const oneRow = (key: string, value: JsonValue): SimResponse => streamAnswer([insertEvent(key, value)], formatOffset(10));
export const streamNotFound = (): SimResponse => textAnswer(404, 'Stream not found');
/** `failures` reads of a missing stream, then reads of the one row `k = 1`. */
export const failingReads = (failures: number): SimResponse[] => [...Array.from({ length: failures }, streamNotFound), oneRow('k', 1)];

/** Writes go through the agents server with the wake's token, as processWake's writer sends them. */
export const tokenWriter =
  (env: V04Environment, token = WRITE_TOKEN) =>
  (sharedId: string): SharedStateWriter =>
  async (event) =>
    void (await env.agents.writeSharedState(sharedId, token, event));

/** What a wake's wiring chain does with the wake's token {@link WRITE_TOKEN}: writes, reads and `mkdb` creates. */
export const wakeSharedState = (env: V04Environment, token = WRITE_TOKEN): WakeSharedState => ({
  writerFor: tokenWriter(env, token),
  readHeaders: { authorization: bearer(token) },
  create: (sharedId) => env.agents.createSharedState(sharedId, token),
});

/**
 * A fake host whose shared-state streams (all of them, together) answer `reads` in turn, the last one again and again,
 * and whose agents server accepts every shared-state write.
 */
export function sharedStateHost(config: Partial<V04Config>, ...reads: readonly SimResponse[]): FakeHost {
  return new FakeHost({ config })
    .on('GET', /^\/v1\/stream\/shared\//, inTurn(...reads))
    .on('POST', /^\/_electric\/shared-state\/[^/]+\/rows$/, () => jsonAnswer(200, { offset: WRITTEN_OFFSET }));
}

/** A fast-tier shared-state DB of {@link SHARED_ID} over `host`, writing with the wake's token. */
export function stateDbOver(host: FakeHost): StateDb {
  const env = host.environment();
  return new StateDb(env.streams, sharedStateStream(SHARED_ID), tokenWriter(env)(SHARED_ID));
}
