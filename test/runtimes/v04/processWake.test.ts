import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES, type ManifestRow, type WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import { db, type EntityHandler, type HandlerContext, type SharedStateHandle } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { WiringMode } from '../../../runtimes/v04/config.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import type { SimResponse } from '../../../world/http/SimResponse.ts';
import { emptyAnswer, errorAnswer, jsonAnswer, streamAnswer, type FakeHost } from './fakeHost.ts';
import { ROWS_PATH, SHARED_ID, WRITE_TOKEN, failingReads, insertEvent, sharedStateHost } from './sharedStateHost.ts';
import { settleInVirtualTime } from './virtualTime.ts';

const INBOX = 'entities/e1/inbox';
const O42 = formatOffset(42);

const WAKE: WakeNotification = {
  wake_id: 'sub:e1/1',
  subscription_id: 'sub:e1',
  generation: 1,
  entity: { id: 'e1', type: 'echo' },
  streams: [{ stream: INBOX, acked_offset: '-1', tail_offset: O42, has_pending: true }],
  write_token: WRITE_TOKEN,
  lease_ttl_ms: 5_000,
};

const DONE_PATH = AGENTS_ROUTES.done(WAKE.wake_id);
const MANIFEST_PATH = AGENTS_ROUTES.manifest('e1');
/** The done of a wake that read its inbox up to the tail the claim named. */
const DONE_WITH_INBOX_READ = { subscription_id: 'sub:e1', generation: 1, acks: [{ stream: INBOX, offset: O42 }] };

interface RunOptions {
  readonly wiring?: WiringMode;
  /** Reads of the shared stream that 404 before it answers the row `k = 1`. */
  readonly failures?: number;
  readonly manifest?: readonly ManifestRow[];
  readonly done?: SimResponse;
  readonly aborted?: boolean;
  readonly wake?: WakeNotification;
}

/** A host with an agents server and streams for wake {@link WAKE}: its inbox holds one message up to {@link O42}. */
function wakeHost(options: RunOptions): FakeHost {
  return sharedStateHost({ wiring: options.wiring ?? 'swallow' }, ...failingReads(options.failures ?? 0))
    .on('GET', MANIFEST_PATH, () => jsonAnswer(200, { rows: options.manifest ?? [] }))
    .on('POST', MANIFEST_PATH, () => emptyAnswer(204))
    .on('POST', DONE_PATH, () => options.done ?? jsonAnswer(200, { next_wake: false }))
    .on('GET', streamPath(INBOX), () => streamAnswer(['hello'], O42));
}

/** Processes the wake with `handler` in virtual time (the retry mode sleeps) until it settles. */
async function run(handler: EntityHandler, options: RunOptions = {}) {
  const host = wakeHost(options);
  const { value: outcome, error } = await settleInVirtualTime(() => processWake(host.environment(), options.wake ?? WAKE, handler, () => options.aborted ?? false));
  if (error) throw error;
  return { host, outcome };
}

/** The bodies of the done requests, each with the token it carried. */
const dones = (host: FakeHost) =>
  host.requests.filter((request) => request.target === DONE_PATH).map((request) => ({ authorization: request.headers['authorization'], body: JSON.parse(request.body!) as unknown }));
const agentsCalls = (host: FakeHost) => host.sent('/_electric/entities').concat(host.sent('/_electric/wakes'));
const annotation = (host: FakeHost, kind: string) => host.annotations.find((candidate) => candidate.kind === kind);

describe('processWake', () => {
  it('a handler that throws leads to failed, and the wake is still acked as done with what it read', async () => {
    const { outcome, host } = await run(async () => {
      throw new Error('handler broke');
    });
    expect(outcome).toBe('failed');
    expect(dones(host)).toEqual([{ authorization: `Bearer ${WRITE_TOKEN}`, body: DONE_WITH_INBOX_READ }]);
    expect(host.annotations).toContainEqual({ kind: 'wake-failed', detail: { entity: 'e1', wakeId: 'sub:e1/1', error: 'Error: handler broke', rolledBackRows: 0 } });
  });

  it('commits manifest rows after a normal return, before the done, with the wake\'s token', async () => {
    let wired: boolean | undefined;
    const { outcome, host } = await run(async (ctx) => {
      const handle = await ctx.observe(db(SHARED_ID));
      await ctx.observe(db(SHARED_ID)); // the same handle again: still one row
      wired = handle.__electricCollection !== undefined;
    });
    expect(outcome).toBe('completed');
    expect(wired).toBe(true);
    expect(agentsCalls(host)).toEqual([`GET ${MANIFEST_PATH}`, `POST ${MANIFEST_PATH}`, `POST ${DONE_PATH}`]);
    const commit = host.requests.find((request) => request.method === 'POST' && request.target === MANIFEST_PATH)!;
    expect(JSON.parse(commit.body!)).toEqual({ rows: [{ shared_id: SHARED_ID, mode: 'connect' }] });
    expect(commit.headers['authorization']).toBe(`Bearer ${WRITE_TOKEN}`);
  });

  it('rolls back manifest rows of a handler that threw after observing', async () => {
    const { outcome, host } = await run(async (ctx) => {
      await ctx.observe(db(SHARED_ID));
      throw new Error('after observe');
    });
    expect(outcome).toBe('failed');
    expect(host.sent(MANIFEST_PATH)).toEqual([`GET ${MANIFEST_PATH}`]);
    expect(dones(host)).toHaveLength(1);
    expect(annotation(host, 'wake-failed')?.detail['rolledBackRows']).toBe(1);
  });

  it('swallow: the handler sees an unwired handle; the wake commits its rows, then fails on the wiring error', async () => {
    let seen: SharedStateHandle | undefined;
    const { outcome, host } = await run(
      async (ctx) => {
        seen = await ctx.observe(db(SHARED_ID));
      },
      { wiring: 'swallow', failures: 1 },
    );
    expect(outcome).toBe('failed');
    expect(seen?.__electricCollection).toBeUndefined();
    expect(() => seen?.toArray()).toThrow('not loaded yet');
    expect(host.sent(MANIFEST_PATH)).toEqual([`GET ${MANIFEST_PATH}`, `POST ${MANIFEST_PATH}`]); // semantics §1 step 4: commit, then throw liveProcessError
    expect(host.kinds()).toEqual(['wake-start', 'observe-called', 'preload-failed', 'wiring-failed', 'manifest-committed', 'wake-failed', 'wake-acked']);
  });

  it('reject: observe rejects, the handler does not get past it, no rows are committed', async () => {
    let reachedAfterObserve = false;
    const { outcome, host } = await run(
      async (ctx) => {
        await ctx.observe(db(SHARED_ID));
        reachedAfterObserve = true;
      },
      { wiring: 'reject', failures: 1 },
    );
    expect(outcome).toBe('failed');
    expect(reachedAfterObserve).toBe(false);
    expect(host.sent(MANIFEST_PATH)).toEqual([`GET ${MANIFEST_PATH}`]);
    expect(dones(host)).toHaveLength(1);
  });

  it('a restored handle that fails to wire fails the wake before the handler runs (fail-closed), and its input is acked as consumed', async () => {
    let handlerRan = false;
    const { outcome, host } = await run(
      async () => {
        handlerRan = true;
      },
      { wiring: 'swallow', failures: 1, manifest: [{ shared_id: SHARED_ID, mode: 'connect' }] },
    );
    expect(outcome).toBe('failed');
    expect(handlerRan).toBe(false);
    // Semantics.md §1 step 5: a failed wake is acked as done, consuming what it was for; the runtime does not retry it.
    expect(host.sent(streamPath(INBOX))).toEqual([`GET ${streamPath(INBOX)}?offset=-1`]);
    expect(dones(host)).toEqual([{ authorization: `Bearer ${WRITE_TOKEN}`, body: DONE_WITH_INBOX_READ }]);
  });

  it('observe returns the restored, wired handle and records no new manifest row for it', async () => {
    let seen: SharedStateHandle | undefined;
    const { outcome, host } = await run(
      async (ctx) => {
        seen = await ctx.observe(db(SHARED_ID));
      },
      { manifest: [{ shared_id: SHARED_ID, mode: 'connect' }] },
    );
    expect(outcome).toBe('completed');
    expect(seen?.toArray()).toEqual([{ key: 'k', value: 1 }]);
    expect(host.annotations).toContainEqual({ kind: 'observe-called', detail: { entity: 'e1', wakeId: 'sub:e1/1', sharedId: SHARED_ID, created: false } });
    expect(host.sent(MANIFEST_PATH)).toEqual([`GET ${MANIFEST_PATH}`]);
  });

  it('retry: a stop during the backoff abandons the wake without a done', async () => {
    const { outcome, host } = await run(async (ctx) => void (await ctx.observe(db(SHARED_ID))), { wiring: 'retry', failures: 1, aborted: true });
    expect(outcome).toBe('abandoned');
    expect(dones(host)).toEqual([]);
    expect(host.kinds()).toContain('wake-abandoned');
  });

  it('a refused done is reported, and the outcome stands', async () => {
    const { outcome, host } = await run(async () => {}, { done: errorAnswer(503, 'SERVICE_UNAVAILABLE', 'agents-server is unavailable') });
    expect(outcome).toBe('completed');
    expect(annotation(host, 'ack-failed')?.detail['error']).toBe('HttpError 503 SERVICE_UNAVAILABLE: agents-server is unavailable');
    expect(host.kinds()).not.toContain('wake-acked');
  });

  it("a handler's shared-state write goes through the agents server with the wake's token", async () => {
    const { outcome, host } = await run(async (ctx) => {
      const handle = await ctx.observe(db(SHARED_ID));
      await handle.insert({ key: 'posted', value: true });
    });
    expect(outcome).toBe('completed');
    const writes = host.requests.filter((request) => request.target === ROWS_PATH);
    expect(writes.map((write) => [write.method, write.headers['authorization'], JSON.parse(write.body!)])).toEqual([['POST', `Bearer ${WRITE_TOKEN}`, insertEvent('posted', true)]]);
  });
});

describe('processWake reads its inputs and acks what it read', () => {
  const O7 = formatOffset(7);
  const O9 = formatOffset(9);
  const O50 = formatOffset(50);
  const CRON = 'cron/daily';
  const OTHER = 'entities/e1/other';
  const wake: WakeNotification = {
    ...WAKE,
    streams: [
      // More arrived after the claim: the read goes past the tail the claim named.
      { stream: INBOX, acked_offset: O7, tail_offset: O42, has_pending: true },
      // Nothing pending: not read, so not acked, whatever its tail says.
      { stream: CRON, acked_offset: O7, tail_offset: O9, has_pending: false },
      { stream: OTHER, acked_offset: '-1', tail_offset: O9, has_pending: true },
    ],
  };

  async function runReading(handler: EntityHandler) {
    const host = wakeHost({})
      .on('GET', streamPath(INBOX), () => streamAnswer(['b', 'c'], O50))
      .on('GET', streamPath(OTHER), () => streamAnswer([{ n: 1 }], O9));
    const { value } = await settleInVirtualTime(() => processWake(host.environment(), wake, handler, () => false));
    return { host, outcome: value };
  }

  it('reads each stream with pending work from its acked offset and hands the handler every item with the offset of its read', async () => {
    let inputs: HandlerContext['inputs'] | undefined;
    const { host, outcome } = await runReading(async (ctx) => {
      inputs = ctx.inputs;
    });
    expect(outcome).toBe('completed');
    expect(host.sent('/v1/stream/')).toEqual([`GET ${streamPath(INBOX)}?offset=${O7}`, `GET ${streamPath(OTHER)}?offset=-1`]);
    expect(inputs).toEqual([
      { stream: INBOX, offset: O50, value: 'b' },
      { stream: INBOX, offset: O50, value: 'c' },
      { stream: OTHER, offset: O9, value: { n: 1 } },
    ]);
  });

  it("acks per stream the next offset of what it read, and never the tail of a stream it did not read", async () => {
    const { host } = await runReading(async () => {});
    expect(dones(host).map((done) => (done.body as { acks: unknown }).acks)).toEqual([
      [
        { stream: INBOX, offset: O50 },
        { stream: OTHER, offset: O9 },
      ],
    ]);
  });

  it('acks what it read even when the handler fails', async () => {
    const { host, outcome } = await runReading(async () => {
      throw new Error('handler broke');
    });
    expect(outcome).toBe('failed');
    expect(dones(host).map((done) => (done.body as { acks: unknown }).acks)).toEqual([[{ stream: INBOX, offset: O50 }, { stream: OTHER, offset: O9 }]]);
  });
});
