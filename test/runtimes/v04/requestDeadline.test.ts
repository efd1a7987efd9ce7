import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectRequest, DirectResponse } from '../../../protocol/host/DirectTransport.ts';
import type { HostContext } from '../../../protocol/host/HostContext.ts';
import { withRequestDeadline } from '../../../runtimes/v04/clients/requestDeadline.ts';

const ANSWER: DirectResponse = { status: 200, headers: {}, body: 'ok' };

/** A host whose transport answers only when told to, and otherwise waits until its request's signal aborts. */
function hangingHost(): { host: HostContext; answer: () => void } {
  let answer: () => void = () => {};
  const transport = (request: DirectRequest): Promise<DirectResponse> =>
    new Promise((resolve, reject) => {
      answer = () => resolve(ANSWER);
      request.signal?.addEventListener('abort', () => reject(request.signal!.reason), { once: true });
    });
  return { host: { transport } as unknown as HostContext, answer: () => answer() };
}

describe('request-timeout=abort: the deadline on every request', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a request unanswered by its deadline as a dropped connection (a TypeError), and not before', async () => {
    const { host } = hangingHost();
    const settled = vi.fn();
    const pending = withRequestDeadline(host, 30_000).transport({ method: 'GET', url: 'http://streams/v1/stream/s', headers: {} });
    pending.then(settled, settled);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).rejects.toThrow(new TypeError('request unanswered after 30000 ms'));
  });

  it('leaves an answered request alone and clears its timer', async () => {
    const { host, answer } = hangingHost();
    const pending = withRequestDeadline(host, 30_000).transport({ method: 'GET', url: 'http://streams/v1/stream/s', headers: {} });
    answer();
    await expect(pending).resolves.toEqual(ANSWER);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("still aborts with the caller's own signal and reason", async () => {
    const { host } = hangingHost();
    const caller = new AbortController();
    const pending = withRequestDeadline(host, 30_000).transport({ method: 'GET', url: 'http://streams/v1/stream/s', headers: {}, signal: caller.signal });
    caller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});
