import { DurableStream, FetchError } from '@durable-streams/client';
import { createStateSchema } from '@durable-streams/state';
import { createStreamDB } from '@durable-streams/state/db';
import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { drain, track } from '../world/simHelpers.ts';
import { simulatedStreamsService } from '../world/simulatedStreamsService.ts';

/**
 * What the differential test cannot see: that a held long-poll ends on the virtual clock and leaves nothing behind,
 * that an abort releases it (a plain request to `serve` as a WHATWG one to `handle`), and that the real
 * `@durable-streams/client` and `@durable-streams/state` run over the facade as their `fetch`.
 */

const ORIGIN = 'http://durable-streams.sim';
const LONG_POLL_TIMEOUT_MS = 1_000;
const JSON_HEADERS = { 'content-type': 'application/json' };

function setup() {
  const { sim, streams, facade } = simulatedStreamsService(LONG_POLL_TIMEOUT_MS);
  const send = (path: string, init?: RequestInit) => facade.handle(new Request(`${ORIGIN}${path}`, init));
  return { sim, streams, facade, send };
}

describe('long-polls on the virtual clock', () => {
  it('a read caught up to the tail is held, then answers 204 after exactly the timeout of virtual time', async () => {
    const { sim, send } = setup();
    const created = await send('/s', { method: 'PUT', headers: JSON_HEADERS, body: '[1]' });
    const tail = created.headers.get('stream-next-offset')!;
    const live = track(send(`/s?offset=${tail}&live=long-poll`));
    await runLoop(sim.scheduler, { horizonMs: LONG_POLL_TIMEOUT_MS - 1, maxSteps: 10 });
    expect(live.settled).toBe(false);
    await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 10 });
    expect(sim.scheduler.nowMs).toBe(LONG_POLL_TIMEOUT_MS);
    expect(live.value?.status).toBe(204);
    expect(live.value?.headers.get('stream-next-offset')).toBe(tail);
    expect(live.value?.headers.get('stream-up-to-date')).toBe('true');
    expect(live.value?.headers.get('stream-cursor')).toMatch(/^\d+$/);
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('an append answers a held read at once with the new data, and cancels its timeout', async () => {
    const { sim, send } = setup();
    await send('/s', { method: 'PUT', headers: JSON_HEADERS });
    const live = track(send('/s?offset=now&live=long-poll'));
    await drain();
    expect(live.settled).toBe(false);
    const appended = await send('/s', { method: 'POST', headers: JSON_HEADERS, body: '[{"n":1},{"n":2}]' });
    await drain();
    expect(live.value?.status).toBe(200);
    expect(await live.value?.json()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(live.value?.headers.get('stream-next-offset')).toBe(appended.headers.get('stream-next-offset'));
    expect(sim.scheduler.pendingCount).toBe(0);
    expect(sim.scheduler.nowMs).toBe(0);
  });

  it('an abort rejects the held read as fetch does and leaves neither watcher nor timer', async () => {
    const { sim, streams, send } = setup();
    await send('/s', { method: 'PUT', headers: JSON_HEADERS });
    const controller = new AbortController();
    const live = track(send('/s?offset=now&live=long-poll', { signal: controller.signal }));
    await drain();
    controller.abort();
    await drain();
    expect((live.error as DOMException).name).toBe('AbortError');
    expect(sim.scheduler.pendingCount).toBe(0);
    // The stream no longer knows the aborted reader: an append wakes nobody and answers normally.
    expect(streams.appendValues('/s', [1])).toMatch(/_/);
  });

  it('an already aborted request is refused before it is served', async () => {
    const { streams, send } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(send('/s', { method: 'PUT', headers: JSON_HEADERS, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(streams.has('/s')).toBe(false);
  });

  it('a stream deleted under a held read answers it 404', async () => {
    const { send } = setup();
    await send('/s', { method: 'PUT', headers: JSON_HEADERS });
    const live = track(send('/s?offset=now&live=long-poll'));
    await drain();
    await send('/s', { method: 'DELETE' });
    await drain();
    expect(live.value?.status).toBe(404);
  });
});

describe('the plain transport (serve)', () => {
  /** A plain request to the facade; every test request comes from peer `test`. */
  const plain = (method: string, path: string, init: { headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}) =>
    simRequest({ method, url: `${ORIGIN}${path}`, peer: 'test', ...init });

  it('holds a read without a signal until the virtual timeout; an abort rejects one with a signal, with its reason, leaving nothing behind', async () => {
    const { sim, streams, facade } = setup();
    await facade.serve(plain('PUT', '/s', { headers: JSON_HEADERS }));
    const unsignalled = track(facade.serve(plain('GET', '/s?offset=now&live=long-poll')));
    const controller = new AbortController();
    const signalled = track(facade.serve(plain('GET', '/s?offset=now&live=long-poll', { signal: controller.signal })));
    await drain();
    expect(sim.scheduler.pendingCount).toBe(2);
    const reason = new Error('connection dropped');
    controller.abort(reason);
    await drain();
    expect(signalled.error).toBe(reason);
    expect(sim.scheduler.pendingCount).toBe(1);
    await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 10 });
    expect(unsignalled.value?.status).toBe(204);
    expect(sim.scheduler.nowMs).toBe(LONG_POLL_TIMEOUT_MS);
    // Neither reader is still watching: an append wakes nobody.
    expect(streams.appendValues('/s', [1])).toMatch(/_/);
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('refuses an already aborted request before serving it', async () => {
    const { streams, facade } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(facade.serve(plain('PUT', '/s', { headers: JSON_HEADERS, signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(streams.has('/s')).toBe(false);
  });

  it('answers 204 and 304 without a body over both transports', async () => {
    const { facade, send } = setup();
    await send('/s', { method: 'PUT', headers: JSON_HEADERS, body: '[1]' });
    const appended = await facade.serve(plain('POST', '/s', { headers: JSON_HEADERS, body: '[2]' }));
    expect(appended).toMatchObject({ status: 204, body: null });
    expect((await send('/s', { method: 'POST', headers: JSON_HEADERS, body: '[3]' })).body).toBeNull();
    const etag = (await facade.serve(plain('GET', '/s?offset=-1'))).headers.etag!;
    expect(await facade.serve(plain('GET', '/s?offset=-1', { headers: { 'If-None-Match': etag } }))).toMatchObject({ status: 304, body: null, headers: { etag } });
    const notModified = await send('/s?offset=-1', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
  });
});

/** Runs the simulation up to `atMs` of virtual time, and stops the clock exactly there. */
async function advanceTo(sim: SimContext, atMs: number): Promise<void> {
  sim.scheduler.schedule(atMs - sim.scheduler.nowMs, 'test', `advance to ${atMs}`, () => {});
  await runLoop(sim.scheduler, { horizonMs: atMs, maxSteps: 100 });
}

describe('subscription leases on the virtual clock', () => {
  const SUB = '/v1/stream/__ds/subscriptions/sub1';
  async function claimed(leaseTtlMs: number) {
    const context = setup();
    const { send } = context;
    await send('/v1/stream/wake', { method: 'PUT', headers: JSON_HEADERS });
    await send('/v1/stream/inbox', { method: 'PUT', headers: JSON_HEADERS });
    await send(SUB, { method: 'PUT', body: JSON.stringify({ type: 'pull-wake', streams: ['inbox'], wake_stream: 'wake', lease_ttl_ms: leaseTtlMs }) });
    await send('/v1/stream/inbox', { method: 'POST', headers: JSON_HEADERS, body: '[{"n":1}]' });
    const claim = (await (await send(`${SUB}/claim`, { method: 'POST', body: '{"worker":"w1"}' })).json()) as {
      token: string;
      wake_id: string;
      generation: number;
      streams: Array<{ tail_offset: string }>;
    };
    const ack = (body: object) =>
      send(`${SUB}/ack`, { method: 'POST', headers: { authorization: `Bearer ${claim.token}` }, body: JSON.stringify({ wake_id: claim.wake_id, generation: claim.generation, ...body }) });
    const wakes = async () => ((await (await send('/v1/stream/wake?offset=-1')).json()) as Array<{ generation: number; ts: number }>);
    return { ...context, claim, ack, wakes };
  }

  it('an expired lease ends the wake: work still pending gets the next generation, and the old holder is fenced', async () => {
    const { sim, claim, ack, wakes } = await claimed(60_000);
    await runLoop(sim.scheduler, { horizonMs: 59_999, maxSteps: 10 });
    expect(await wakes()).toHaveLength(1);
    await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 10 });
    const [first, second] = await wakes();
    expect(second).toMatchObject({ generation: 2, ts: first!.ts + 60_000 });
    const fenced = await ack({ done: true });
    expect(fenced.status).toBe(409);
    expect(await fenced.json()).toEqual({ error: { code: 'FENCED', message: 'Wake generation is stale' } });
    expect(claim.generation).toBe(1);
  });

  it('an ack extends the lease; one done with nothing pending ends it for good', async () => {
    const { sim, claim, ack, wakes } = await claimed(60_000);
    await advanceTo(sim, 50_000);
    expect((await ack({ acks: [{ stream: 'inbox', offset: claim.streams[0]!.tail_offset }] })).status).toBe(200);
    await advanceTo(sim, 100_000); // past the first lease's end, before the extended one's
    expect(await wakes()).toHaveLength(1);
    expect(await (await ack({ done: true })).json()).toEqual({ ok: true, next_wake: false });
    await runLoop(sim.scheduler, { horizonMs: 1_000_000, maxSteps: 10 });
    expect(await wakes()).toHaveLength(1);
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('a claim token expires after an hour of virtual time, however often the lease was extended', async () => {
    const { sim, ack } = await claimed(600_000);
    for (let minute = 5; minute <= 60; minute += 5) {
      await advanceTo(sim, minute * 60_000);
      expect((await ack({})).status).toBe(200);
    }
    await advanceTo(sim, 61 * 60_000);
    const expired = await ack({});
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { code: 'TOKEN_EXPIRED', message: 'Token expired' } });
  });
});

describe('the world and the facade share one service', () => {
  it('streams the world writes are read over HTTP with the offsets the world saw', async () => {
    const { streams, send } = setup();
    streams.create('/inbox');
    const first = streams.append('/inbox', { type: 'message', index: 0 });
    const second = streams.append('/inbox', { type: 'message', index: 1 });
    const all = await send('/inbox?offset=-1');
    expect(await all.json()).toEqual([
      { type: 'message', index: 0 },
      { type: 'message', index: 1 },
    ]);
    expect(all.headers.get('stream-next-offset')).toBe(second);
    const rest = await send(`/inbox?offset=${first}`);
    expect(await rest.json()).toEqual([{ type: 'message', index: 1 }]);
  });
});

describe('the real Durable Streams client over the facade', () => {
  it('creates, appends (batched into one message) and reads back, and sees 404 as the reference gives it', async () => {
    const { facade, sim } = setup();
    const url = `${ORIGIN}/v1/stream/chat`;
    const handle = await DurableStream.create({ url, contentType: 'application/json', fetch: facade.fetch });
    // Fired together, the client batches them into one POST: one message, one offset, three items.
    await Promise.all([handle.append(JSON.stringify({ n: 1 })), handle.append(JSON.stringify({ n: 2 })), handle.append(JSON.stringify([3]))]);
    const response = await handle.stream({ live: false, json: true });
    expect(await response.json()).toEqual([{ n: 1 }, { n: 2 }, [3]]);
    expect(response.offset).toMatch(/^\d{16}_\d{16}$/);
    expect(await handle.head()).toMatchObject({ exists: true, contentType: 'application/json', offset: response.offset });
    const missing = new DurableStream({ url: `${ORIGIN}/v1/stream/nothing`, fetch: facade.fetch });
    await expect(missing.stream({ live: false })).rejects.toMatchObject({ status: 404 });
    await expect(missing.stream({ live: false })).rejects.toBeInstanceOf(FetchError);
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('follows a stream live: the long-poll is held on the virtual clock until an append, and cancel releases it', async () => {
    const { facade, sim, send } = setup();
    const url = `${ORIGIN}/v1/stream/feed`;
    await DurableStream.create({ url, contentType: 'application/json', fetch: facade.fetch });
    const handle = new DurableStream({ url, fetch: facade.fetch });
    const response = await handle.stream<{ n: number }>({ live: true, json: true });
    const seen: number[] = [];
    response.subscribeJson((batch) => {
      for (const item of batch.items) seen.push(item.n);
    });
    await drain();
    // Caught up: the client's next request is a long-poll the facade holds (its timeout is a scheduler task).
    expect(sim.scheduler.pendingCount).toBe(1);
    await send('/v1/stream/feed', { method: 'POST', headers: JSON_HEADERS, body: '[{"n":7}]' });
    await runLoop(sim.scheduler, { horizonMs: 0, maxSteps: 10 });
    expect(seen).toEqual([7]);
    await runLoop(sim.scheduler, { horizonMs: 3 * LONG_POLL_TIMEOUT_MS, maxSteps: 10 });
    expect(sim.scheduler.nowMs).toBe(3 * LONG_POLL_TIMEOUT_MS); // held polls time out and are re-issued, virtually
    response.cancel();
    await drain();
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('lets a StreamDB preload state events, with their offsets added by the server', async () => {
    const { facade, send } = setup();
    const accept = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value: value as { id: string; name: string } }) } };
    const schema = createStateSchema({ users: { schema: accept, type: 'user', primaryKey: 'id' } });
    await send('/v1/stream/users', { method: 'PUT', headers: JSON_HEADERS });
    const insert = schema.users.insert({ value: { id: '1', name: 'Ada' } });
    await send('/v1/stream/users', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify([insert]) });
    const read = (await (await send('/v1/stream/users?offset=-1')).json()) as Array<{ headers: { offset?: string } }>;
    expect(read[0]?.headers.offset).toMatch(/^\d{16}_\d{16}$/);
    const db = createStreamDB({ streamOptions: { url: `${ORIGIN}/v1/stream/users`, contentType: 'application/json', fetch: facade.fetch }, state: schema });
    await db.preload();
    expect(db.collections.users.get('1')).toMatchObject({ id: '1', name: 'Ada' });
    db.close();
  });
});
