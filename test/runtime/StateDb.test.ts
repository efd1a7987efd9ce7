import { describe, expect, it } from 'vitest';
import { StateDb } from '../../runtime/shared-state/StateDb.ts';
import { formatOffset } from '../../world/durable-streams/offsets.ts';
import { HttpError, streamNotFound } from '../../world/network/HttpError.ts';
import { FakeStreams, hops, insertItem, result } from './fakes.ts';

const PATH = '/shared/digest';

describe('StateDb.preload', () => {
  it('reads from the beginning and applies insert events, skipping control items', async () => {
    const streams = new FakeStreams([
      result([
        insertItem(10, 'a', 1),
        { offset: formatOffset(20), value: { headers: { control: 'up-to-date' } } },
        insertItem(30, 'b', 2),
        insertItem(40, 'a', 3),
      ]),
    ]);
    const db = new StateDb(streams, PATH);
    await db.preload();
    expect(streams.reads).toEqual([{ path: PATH, offset: '-1' }]);
    expect(db.collection.toArray()).toEqual([{ key: 'a', value: 3 }, { key: 'b', value: 2 }]);
    expect(db.collection.has('b')).toBe(true);
  });

  it("rejects with the guard's TypeError on an item without headers", async () => {
    const wake = { type: 'wake', subscription_id: 'sub:x', stream: PATH, generation: 1, ts: 0 };
    const db = new StateDb(new FakeStreams([result([{ offset: formatOffset(5), value: wake }, insertItem(10, 'a', 1)])]), PATH);
    const error = await db.preload().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("'control' in undefined");
  });

  it('rejects with the 404 of a missing stream', async () => {
    const db = new StateDb(new FakeStreams([streamNotFound()]), PATH);
    await expect(db.preload()).rejects.toMatchObject({ status: 404, message: 'Stream not found' });
    await expect(new StateDb(new FakeStreams([streamNotFound()]), PATH).preload()).rejects.toBeInstanceOf(HttpError);
  });

  it('a second preload after a failed one never settles and reads nothing', async () => {
    const streams = new FakeStreams([streamNotFound()], result([insertItem(10, 'a', 1)]));
    const db = new StateDb(streams, PATH);
    await expect(db.preload()).rejects.toBeInstanceOf(HttpError);
    let settled = false;
    db.preload().then(() => (settled = true), () => (settled = true));
    await hops(10);
    expect(settled).toBe(false);
    expect(streams.reads).toHaveLength(1);
  });

  it('a second preload after a successful one resolves at once without reading again', async () => {
    const streams = new FakeStreams([], result([insertItem(10, 'a', 1)]));
    const db = new StateDb(streams, PATH);
    await db.preload();
    await db.preload();
    expect(streams.reads).toHaveLength(1);
    expect(db.collection.has('a')).toBe(true);
  });
});

describe('StateDb.insert', () => {
  it('appends an insert state event to the stream and updates the collection', async () => {
    const streams = new FakeStreams();
    const db = new StateDb(streams, PATH);
    await db.preload();
    await db.insert({ key: '2024-01-01T09:00', value: { posted: true } });
    expect(streams.appends).toEqual([
      { path: PATH, value: { headers: { operation: 'insert' }, key: '2024-01-01T09:00', value: { posted: true } } },
    ]);
    expect(db.collection.get('2024-01-01T09:00')).toEqual({ posted: true });
  });

  it('leaves the collection unchanged when the append fails', async () => {
    const streams = new FakeStreams();
    streams.appendError = streamNotFound();
    const db = new StateDb(streams, PATH);
    await expect(db.insert({ key: 'k', value: 1 })).rejects.toBeInstanceOf(HttpError);
    expect(db.collection.has('k')).toBe(false);
  });

  it('an appended event preloads into the same row in a fresh DB (round trip)', async () => {
    const streams = new FakeStreams();
    await new StateDb(streams, PATH).insert({ key: 'k', value: 7 });
    const reread = new StateDb(new FakeStreams([result([{ offset: formatOffset(1), value: streams.appends[0]!.value }])]), PATH);
    await reread.preload();
    expect(reread.collection.toArray()).toEqual([{ key: 'k', value: 7 }]);
  });
});
