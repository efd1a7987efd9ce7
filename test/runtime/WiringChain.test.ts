import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../runtime/errors.ts';
import { SharedStateHandle } from '../../runtime/shared-state/SharedStateHandle.ts';
import { WiringChain } from '../../runtime/wake/WiringChain.ts';
import type { WiringMode } from '../../runtime/config.ts';
import { HttpError } from '../../world/network/HttpError.ts';
import { fakeEnv, flakyStreams } from './fakes.ts';

function setup(mode: WiringMode, failures: number, aborted = false) {
  const streams = flakyStreams(failures);
  const fake = fakeEnv(streams);
  const chain = new WiringChain(fake.env, mode, 'e1', () => aborted);
  const handle = new SharedStateHandle('digest', 'connect', false);
  chain.add(handle);
  return { ...fake, streams, chain, handle };
}

describe('WiringChain after one failed preload', () => {
  it('swallow: resolves unwired and records the error', async () => {
    const { chain, handle, events } = setup('swallow', 1);
    await chain.wirePendingAndWait();
    expect(handle.isWired).toBe(false);
    expect(chain.error?.value).toBeInstanceOf(HttpError);
    expect(events).toContainEqual({
      kind: 'wiring-failed',
      detail: { entity: 'e1', error: 'HttpError 404 STREAM_NOT_FOUND: Stream not found', code: 'SHARED_STATE_WIRING_FAILED' },
    });
  });

  it('swallow: the next pass retries the failed handle first, with a fresh DB, and the first error stays', async () => {
    const { chain, handle, streams } = setup('swallow', 1);
    await chain.wirePendingAndWait();
    const firstError = chain.error?.value;
    await chain.wirePendingAndWait();
    expect(handle.isWired).toBe(true);
    expect(streams.reads).toHaveLength(2);
    expect(chain.error?.value).toBe(firstError);
  });

  it('reject: wirePendingAndWait rejects; settled() still resolves', async () => {
    const { chain, handle } = setup('reject', 1);
    await expect(chain.wirePendingAndWait()).rejects.toMatchObject({ status: 404 });
    expect(handle.isWired).toBe(false);
    await expect(chain.settled()).resolves.toBeUndefined();
    expect(chain.error).toBeDefined(); // processWake throws it after a handler that caught the rejection
  });

  it('retry: resolves wired after the failure, having slept 100 ms first', async () => {
    const { chain, handle, sleeps, kinds } = setup('retry', 1);
    await chain.wirePendingAndWait();
    expect(handle.isWired).toBe(true);
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }]);
    expect(sleeps).toEqual([100]);
    expect(kinds()).toEqual(['preload-failed', 'handle-wired']);
    expect(chain.error).toBeUndefined();
  });

  it('retry: backs off doubling up to 2 s', async () => {
    const { chain, handle, sleeps } = setup('retry', 7);
    await chain.wirePendingAndWait();
    expect(handle.isWired).toBe(true);
    expect(sleeps).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });

  it('retry: a stop abandons the wiring with an AbortedError', async () => {
    const { chain, handle } = setup('retry', 1, true);
    await expect(chain.wirePendingAndWait()).rejects.toBeInstanceOf(AbortedError);
    expect(handle.isWired).toBe(false);
  });

  it('empty: resolves wired with an empty collection and does not read again', async () => {
    const { chain, handle, streams, events } = setup('empty', 1);
    await chain.wirePendingAndWait();
    expect(handle.isWired).toBe(true);
    expect(handle.__electricCollection?.toArray()).toEqual([]);
    expect(streams.reads).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'preload-failed', detail: { handling: 'treat-as-empty', restored: false } });
  });
});

describe('WiringChain walk', () => {
  it('wires handles in insertion order and stops at the first failure', async () => {
    const { chain, handle, streams } = setup('swallow', 1);
    const second = new SharedStateHandle('other', 'connect', false);
    chain.add(second);
    await chain.wirePendingAndWait();
    expect([handle.isWired, second.isWired]).toEqual([false, false]);
    expect(streams.reads.map((read) => read.path)).toEqual(['/shared/digest']);
    await chain.wirePendingAndWait();
    expect(streams.reads.map((read) => read.path)).toEqual(['/shared/digest', '/shared/digest', '/shared/other']);
    expect(second.isWired).toBe(true);
  });

  it('wireRestored fails closed even in swallow mode', async () => {
    const { chain } = setup('swallow', 1);
    const restored = new SharedStateHandle('digest', 'connect', true);
    await expect(chain.wireRestored(restored)).rejects.toBeInstanceOf(HttpError);
    expect(chain.error).toBeUndefined(); // not routed through the swallowing catch
  });
});
