import { describe, expect, it } from 'vitest';
import { SharedStateHandle } from '../../../runtimes/v04/shared-state/SharedStateHandle.ts';
import type { StateDb } from '../../../runtimes/v04/shared-state/StateDb.ts';
import type { FakeHost } from './fakeHost.ts';
import { ROWS_PATH, oneRow, sharedStateHost, stateDbOver } from './sharedStateHost.ts';

const NOT_LOADED = 'shared DB "digest" is not loaded yet';

async function loadedDb(host: FakeHost): Promise<StateDb> {
  const db = stateDbOver(host);
  await db.preload();
  return db;
}

describe('SharedStateHandle, connect mode, unwired', () => {
  it('throws on public reads and writes but returns undefined from the raw accessor', async () => {
    const handle = new SharedStateHandle('digest', 'connect', false);
    expect(handle.isWired).toBe(false);
    expect(() => handle.toArray()).toThrow(NOT_LOADED);
    await expect(handle.insert({ key: 'k', value: 1 })).rejects.toThrow(NOT_LOADED);
    expect(handle.__electricCollection).toBeUndefined();
  });
});

describe('SharedStateHandle, create mode, unwired', () => {
  it('reads an initially empty staged collection and stages writes', async () => {
    const handle = new SharedStateHandle('digest', 'create', false);
    expect(handle.toArray()).toEqual([]);
    await handle.insert({ key: 'a', value: 1 });
    await handle.insert({ key: 'a', value: 2 }); // staged by key: the later write wins
    expect(handle.toArray()).toEqual([{ key: 'a', value: 2 }]);
    expect(handle.__electricCollection).toBeUndefined();
  });
});

describe('SharedStateHandle, wired', () => {
  it('reads from and writes to the DB once wired', async () => {
    const host = sharedStateHost({}, oneRow('k', 1));
    const handle = new SharedStateHandle('digest', 'connect', false);
    const db = await loadedDb(host);
    handle.wireDb(db);
    expect(handle.isWired).toBe(true);
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }]);
    expect(handle.__electricCollection).toBe(db.collection);
    await handle.insert({ key: 'n', value: 2 });
    expect(host.sent(ROWS_PATH)).toEqual([`POST ${ROWS_PATH}`]);
    expect(handle.__electricCollection?.get('n')).toBe(2);
  });

  it('in create mode, reads after wiring come from the DB', async () => {
    const handle = new SharedStateHandle('digest', 'create', false);
    handle.wireDb(await loadedDb(sharedStateHost({}, oneRow('k', 1))));
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }]);
  });
});

describe('SharedStateHandle, create mode, staged writes', () => {
  it('flushStaged writes the staged rows to the DB once wired, in the order staged, and empties the stage', async () => {
    const host = sharedStateHost({}, oneRow('k', 1));
    const handle = new SharedStateHandle('digest', 'create', false);
    await handle.insert({ key: 'a', value: 1 });
    await handle.insert({ key: 'b', value: 2 });
    handle.wireDb(await loadedDb(host));
    expect(host.sent(ROWS_PATH)).toEqual([]);
    expect(await handle.flushStaged()).toBe(2);
    expect(host.requests.filter((request) => request.target === ROWS_PATH).map((request) => JSON.parse(request.body!).key)).toEqual(['a', 'b']);
    expect(handle.stagedCount).toBe(0);
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }, { key: 'a', value: 1 }, { key: 'b', value: 2 }]);
    expect(await handle.flushStaged()).toBe(0);
  });

  it('flushStaged on a handle still unwired throws when rows are staged (they have no DB to go to), and is a no-op otherwise', async () => {
    const handle = new SharedStateHandle('digest', 'create', false);
    expect(await handle.flushStaged()).toBe(0);
    await handle.insert({ key: 'a', value: 1 });
    await expect(handle.flushStaged()).rejects.toThrow('shared DB "digest" was never wired in this wake: 1 staged write(s) cannot be flushed');
    expect(handle.stagedCount).toBe(1);
  });
});
