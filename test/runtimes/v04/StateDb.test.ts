import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../../../runtimes/v04/errors.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import { drain, track } from '../../world/simHelpers.ts';
import { errorAnswer, streamAnswer } from './fakeHost.ts';
import { ROWS_PATH, SHARED_ID, WRITE_TOKEN, insertEvent, oneRow, sharedPath, sharedStateHost, stateDbOver, streamNotFound } from './sharedStateHost.ts';

const PATH = sharedPath(SHARED_ID);

describe('StateDb.preload', () => {
  it('reads the shared stream from the beginning and applies insert events, skipping control items', async () => {
    const host = sharedStateHost({}, streamAnswer([insertEvent('a', 1), { headers: { control: 'up-to-date' } }, insertEvent('b', 2), insertEvent('a', 3)], formatOffset(40)));
    const db = stateDbOver(host);
    await db.preload();
    expect(host.sent()).toEqual([`GET ${PATH}?offset=-1`]);
    expect(db.collection.toArray()).toEqual([{ key: 'a', value: 3 }, { key: 'b', value: 2 }]);
    expect(db.collection.has('b')).toBe(true);
  });

  it("rejects with the guard's TypeError on an item without headers", async () => {
    const wake = { type: 'wake', subscription_id: 'sub:x', stream: 'entities/x/inbox', generation: 1, ts: 0 };
    const db = stateDbOver(sharedStateHost({}, streamAnswer([wake, insertEvent('a', 1)], formatOffset(10))));
    const error = await db.preload().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("'control' in undefined");
  });

  it('rejects with the 404 of a missing stream', async () => {
    const error = await stateDbOver(sharedStateHost({}, streamNotFound())).preload().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND', message: 'Stream not found' });
  });

  it('a second preload after a failed one never settles and reads nothing', async () => {
    const host = sharedStateHost({}, streamNotFound(), oneRow('a', 1));
    const db = stateDbOver(host);
    await expect(db.preload()).rejects.toBeInstanceOf(HttpStatusError);
    const second = track(db.preload());
    // No timer is involved: a few macrotask hops settle whatever was going to settle.
    for (let hop = 0; hop < 10; hop += 1) await drain();
    expect(second.settled).toBe(false);
    expect(host.requests).toHaveLength(1);
  });

  it('a second preload after a successful one resolves at once without reading again', async () => {
    const host = sharedStateHost({}, oneRow('a', 1));
    const db = stateDbOver(host);
    await db.preload();
    await db.preload();
    expect(host.requests).toHaveLength(1);
    expect(db.collection.has('a')).toBe(true);
  });
});

describe('StateDb.insert', () => {
  it("appends an insert state event through the agents server with the wake's token, then updates the collection", async () => {
    const host = sharedStateHost({}, streamAnswer([], formatOffset(0)));
    const db = stateDbOver(host);
    await db.preload();
    await db.insert({ key: '2024-01-01T09:00', value: { posted: true } });
    const write = host.requests.at(-1)!;
    expect([write.method, write.target, write.headers['authorization']]).toEqual(['POST', ROWS_PATH, `Bearer ${WRITE_TOKEN}`]);
    expect(JSON.parse(write.body!)).toEqual(insertEvent('2024-01-01T09:00', { posted: true }));
    expect(db.collection.get('2024-01-01T09:00')).toEqual({ posted: true });
  });

  it('leaves the collection unchanged when the write is refused', async () => {
    const host = sharedStateHost({}, oneRow('a', 1)).on('POST', ROWS_PATH, () => errorAnswer(404, 'SHARED_STATE_NOT_FOUND', 'no shared state'));
    const db = stateDbOver(host);
    await expect(db.insert({ key: 'k', value: 1 })).rejects.toMatchObject({ status: 404, code: 'SHARED_STATE_NOT_FOUND' });
    expect(db.collection.has('k')).toBe(false);
  });

  it('a written event preloads into the same row in a fresh DB (round trip)', async () => {
    const writer = sharedStateHost({}, streamAnswer([], formatOffset(0)));
    await stateDbOver(writer).insert({ key: 'k', value: 7 });
    const stored = JSON.parse(writer.requests[0]!.body!) as unknown;
    const reread = stateDbOver(sharedStateHost({}, streamAnswer([stored], formatOffset(1))));
    await reread.preload();
    expect(reread.collection.toArray()).toEqual([{ key: 'k', value: 7 }]);
  });
});
