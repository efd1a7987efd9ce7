import { describe, expect, it } from 'vitest';
import type { WiringMode } from '../../../runtimes/v04/config.ts';
import { AbortedError, HttpStatusError } from '../../../runtimes/v04/errors.ts';
import { SharedStateHandle } from '../../../runtimes/v04/shared-state/SharedStateHandle.ts';
import { WiringChain } from '../../../runtimes/v04/wake/WiringChain.ts';
import { AGENTS_ROUTES, bearer } from '../../../protocol/agents/agentsRoutes.ts';
import { jsonAnswer } from './fakeHost.ts';
import { ROWS_PATH, SHARED_ID, WRITE_TOKEN, failingReads, oneRow, sharedPath, sharedStateHost, wakeSharedState } from './sharedStateHost.ts';
import { settleInVirtualTime } from './virtualTime.ts';

/** A chain of entity `e1` with one connect-mode handle queued, over shared streams whose first `failures` reads 404. */
function setup(wiring: WiringMode, failures: number, aborted = false) {
  const host = sharedStateHost({ wiring }, ...failingReads(failures));
  const env = host.environment();
  const chain = new WiringChain(env, 'e1', 'w1', () => aborted, wakeSharedState(env));
  const handle = new SharedStateHandle(SHARED_ID, 'connect', false);
  chain.add(handle);
  return { host, chain, handle };
}

const NOT_FOUND = 'HttpError 404 STREAM_NOT_FOUND: Stream not found';

// The retry modes sleep with the global setTimeout: every test runs the chain in virtual time.
describe('WiringChain after one failed preload', () => {
  it('swallow: resolves unwired and records the error', async () => {
    const { chain, handle, host } = setup('swallow', 1);
    const { settled, error } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect({ settled, error }).toEqual({ settled: true, error: undefined });
    expect(handle.isWired).toBe(false);
    expect(chain.error?.value).toBeInstanceOf(HttpStatusError);
    expect(host.annotations).toContainEqual({ kind: 'wiring-failed', detail: { entity: 'e1', wakeId: 'w1', error: NOT_FOUND, code: 'SHARED_STATE_WIRING_FAILED' } });
  });

  it('swallow: the next pass retries the failed handle first, with a fresh DB, and the first error stays', async () => {
    const { chain, handle, host } = setup('swallow', 1);
    let firstError: unknown;
    await settleInVirtualTime(async () => {
      await chain.wirePendingAndWait();
      firstError = chain.error?.value;
      await chain.wirePendingAndWait();
    });
    expect(handle.isWired).toBe(true);
    expect(host.requests).toHaveLength(2);
    expect(chain.error?.value).toBe(firstError);
  });

  it('reject: wirePendingAndWait rejects; settled() still resolves', async () => {
    const { chain, handle } = setup('reject', 1);
    const { error } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(error).toMatchObject({ status: 404 });
    expect(handle.isWired).toBe(false);
    await expect(chain.settled()).resolves.toBeUndefined();
    expect(chain.error).toBeDefined(); // processWake throws it after a handler that caught the rejection
  });

  it('retry: resolves wired after the failure, having slept 100 ms first', async () => {
    const { chain, handle, host } = setup('retry', 1);
    const { settled, error, time } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect({ settled, error }).toEqual({ settled: true, error: undefined });
    expect(handle.isWired).toBe(true);
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }]);
    expect(time.firedTimeoutsMs).toEqual([100]);
    expect(host.kinds()).toEqual(['preload-failed', 'handle-wired']);
    expect(host.annotations[0]?.detail).toMatchObject({ attempt: 1, handling: 'retry', error: NOT_FOUND });
    expect(chain.error).toBeUndefined();
  });

  it('retry: backs off doubling up to 2 s, a fresh DB reading again each time', async () => {
    const { chain, handle, host } = setup('retry', 7);
    const { time } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(handle.isWired).toBe(true);
    expect(time.firedTimeoutsMs).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
    expect(time.nowMs).toBe(7_100);
    expect(host.requests).toHaveLength(8);
  });

  it('retry: a stop abandons the wiring with an AbortedError after the backoff', async () => {
    const { chain, handle, host } = setup('retry', 1, true);
    const { error, time } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(error).toBeInstanceOf(AbortedError);
    expect(handle.isWired).toBe(false);
    expect(time.firedTimeoutsMs).toEqual([100]);
    expect(host.requests).toHaveLength(1);
  });

  it('retry-same-db: after the backoff, preload() again on the same DB never settles and reads nothing', async () => {
    const { chain, handle, host } = setup('retry-same-db', 1);
    const { settled, time } = await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(settled).toBe(false);
    expect(handle.isWired).toBe(false);
    expect(time.firedTimeoutsMs).toEqual([100]);
    expect(host.requests).toHaveLength(1);
    expect(host.annotations).toEqual([{ kind: 'preload-failed', detail: { entity: 'e1', wakeId: 'w1', sharedId: SHARED_ID, restored: false, attempt: 1, error: NOT_FOUND, handling: 'retry-same-db' } }]);
  });

  it('empty: resolves wired with an empty collection and does not read again', async () => {
    const { chain, handle, host } = setup('empty', 1);
    await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(handle.isWired).toBe(true);
    expect(handle.__electricCollection?.toArray()).toEqual([]);
    expect(host.requests).toHaveLength(1);
    expect(host.annotations[0]).toMatchObject({ kind: 'preload-failed', detail: { handling: 'treat-as-empty', restored: false } });
    expect(host.annotations[1]).toMatchObject({ kind: 'handle-wired', detail: { empty: true } });
  });
});

describe('WiringChain walk', () => {
  it('wires handles in insertion order and stops at the first failure', async () => {
    const { chain, handle, host } = setup('swallow', 1);
    const second = new SharedStateHandle('other', 'connect', false);
    chain.add(second);
    const readPaths = () => host.requests.map((request) => request.target.split('?')[0]);
    await settleInVirtualTime(async () => {
      await chain.wirePendingAndWait();
      expect([handle.isWired, second.isWired]).toEqual([false, false]);
      expect(readPaths()).toEqual([sharedPath(SHARED_ID)]);
      await chain.wirePendingAndWait();
    });
    expect(readPaths()).toEqual([sharedPath(SHARED_ID), sharedPath(SHARED_ID), sharedPath('other')]);
    expect(second.isWired).toBe(true);
  });

  it('wireRestored fails closed even in swallow mode', async () => {
    const { chain } = setup('swallow', 1);
    const restored = new SharedStateHandle(SHARED_ID, 'connect', true);
    const { error } = await settleInVirtualTime(() => chain.wireRestored(restored));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(chain.error).toBeUndefined(); // not routed through the swallowing catch
  });

  it('wireRestored still retries in retry mode', async () => {
    const { chain, host } = setup('retry', 1);
    const restored = new SharedStateHandle(SHARED_ID, 'connect', true);
    const { error, time } = await settleInVirtualTime(() => chain.wireRestored(restored));
    expect(error).toBeUndefined();
    expect(restored.isWired).toBe(true);
    expect(time.firedTimeoutsMs).toEqual([100]);
    expect(host.annotations.map((annotation) => annotation.detail['restored'])).toEqual([true, true]);
  });
});

describe('WiringChain, a create-mode handle (mkdb)', () => {
  /** A chain whose host answers the create route 201 and every shared read with `reads` in turn. */
  function createSetup(wiring: WiringMode, failures: number) {
    const host = sharedStateHost({ wiring }, ...failingReads(failures)).on('PUT', /^\/_electric\/shared-state\/[^/]+$/, () => jsonAnswer(201, { shared_id: SHARED_ID }));
    const env = host.environment();
    const chain = new WiringChain(env, 'e1', 'w1', () => false, wakeSharedState(env));
    const handle = new SharedStateHandle(SHARED_ID, 'create', false);
    chain.add(handle);
    return { host, chain, handle };
  }

  it('creates the shared state through the agents server before its preload, both with the wake token', async () => {
    const { chain, handle, host } = createSetup('swallow', 0);
    await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(handle.isWired).toBe(true);
    expect(host.requests.map((request) => `${request.method} ${request.target.split('?')[0]}`)).toEqual([`PUT ${AGENTS_ROUTES.sharedState(SHARED_ID)}`, `GET ${sharedPath(SHARED_ID)}`]);
    expect(host.requests.map((request) => request.headers['authorization'])).toEqual([bearer(WRITE_TOKEN), bearer(WRITE_TOKEN)]);
    expect(host.kinds()).toEqual(['mkdb-created', 'handle-wired']);
  });

  it('a restored create-mode handle is not created again: it is only preloaded', async () => {
    const { chain, host } = createSetup('swallow', 0);
    await settleInVirtualTime(() => chain.wireRestored(new SharedStateHandle('other', 'create', true)));
    expect(host.sent(AGENTS_ROUTES.sharedState(''))).toEqual([]);
  });

  it('swallow: rows staged while unwired are written once a later pass wires the handle, and the create is not repeated', async () => {
    const { chain, handle, host } = createSetup('swallow', 1);
    await settleInVirtualTime(async () => {
      await chain.wirePendingAndWait();
      expect(handle.isWired).toBe(false);
      await handle.insert({ key: 'a', value: 1 });
      expect(host.sent(ROWS_PATH)).toEqual([]);
      await chain.wirePendingAndWait();
    });
    expect(handle.isWired).toBe(true);
    expect(handle.stagedCount).toBe(0);
    expect(host.sent(ROWS_PATH)).toEqual([`POST ${ROWS_PATH}`]);
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }, { key: 'a', value: 1 }]);
    expect(host.sent(AGENTS_ROUTES.sharedState(SHARED_ID)).filter((line) => line.startsWith('PUT'))).toHaveLength(1);
    expect(host.kinds()).toEqual(['mkdb-created', 'preload-failed', 'wiring-failed', 'handle-wired', 'staged-flushed']);
  });

  it('a refused create is handled as a failed preload (retry: created and wired on the next attempt)', async () => {
    let creates = 0;
    const host = sharedStateHost({ wiring: 'retry' }, oneRow('k', 1)).on('PUT', /^\/_electric\/shared-state\/[^/]+$/, () =>
      (creates += 1) === 1 ? jsonAnswer(503, { error: { code: 'STREAMS_UNAVAILABLE' } }) : jsonAnswer(200, { shared_id: SHARED_ID }),
    );
    const env = host.environment();
    const chain = new WiringChain(env, 'e1', 'w1', () => false, wakeSharedState(env));
    const handle = new SharedStateHandle(SHARED_ID, 'create', false);
    chain.add(handle);
    await settleInVirtualTime(() => chain.wirePendingAndWait());
    expect(handle.isWired).toBe(true);
    expect(creates).toBe(2);
    expect(host.kinds()).toEqual(['preload-failed', 'mkdb-created', 'handle-wired']);
  });
});
