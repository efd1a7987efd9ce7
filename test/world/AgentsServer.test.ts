import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { AgentsServer, type AgentsServerOptions } from '../../world/agents-server/AgentsServer.ts';
import type { ResumeOffsetSource } from '../../world/agents-server/ResumeOffsetSource.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { ReferenceSubscriptions } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { schedulerClock } from '../../world/durable-streams/VirtualClock.ts';
import { bodyText } from '../../world/http/messageBody.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import { makeSim } from './simHelpers.ts';

const ROOT = '/v1/stream/';
const WAKE = `${ROOT}runners/r1/wake`;
const INBOX = `${ROOT}entities/e1/inbox`;
const SUB = 'sub:e1';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function setup(resumeOffsetSource: ResumeOffsetSource = 'none', history: Pick<AgentsServerOptions, 'doneRelease' | 'heartbeatLease' | 'claimReaper' | 'writeTokens'> = {}) {
  const sim = makeSim();
  const ds = new DurableStreamsService(sim);
  const subscriptions = new ReferenceSubscriptions(ds, schedulerClock(sim.scheduler));
  let streamsUp = true;
  const server = new AgentsServer(sim, { streams: ds, subscriptions, get up() { return streamsUp; } }, { resumeOffsetSource, leaseTtlMs: 5_000, ...history });
  server.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
  const call = (method: string, path: string, body?: unknown, token?: string): Answer => {
    const answer = server.serve(
      simRequest({
        method,
        url: `http://agents.sim${path}`,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        peer: 'test',
      }),
    );
    const text = bodyText(answer);
    return { status: answer.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const register = () => call('POST', '/_electric/runners', { id: 'r1', label: 'host' });
  const heartbeat = (offset: string) => call('POST', '/_electric/runners/r1/heartbeat', { wake_stream_offset: offset });
  const claim = (subscription = SUB) => call('POST', '/_electric/runners/r1/claim', { subscription_id: subscription });
  /** Claims the pending wake and acks what it holds, as a runner would. */
  const consume = () => {
    const wake = claim();
    if (wake.status !== 200) throw new Error(`expected a wake, got ${wake.status}`);
    const streams = wake.body['streams'] as Array<{ stream: string; tail_offset: string }>;
    const done = call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, {
      subscription_id: SUB,
      generation: wake.body['generation'],
      acks: streams.map((stream) => ({ stream: stream.stream, offset: stream.tail_offset })),
    }, String(wake.body['write_token']));
    expect(done.status).toBe(200);
  };
  const wakeOffsets = () => ds.read(WAKE, '-1').items.map((item) => item.offset);
  return { sim, ds, server, call, register, heartbeat, claim, consume, wakeOffsets, setStreamsUp: (up: boolean) => (streamsUp = up) };
}

describe('AgentsServer register', () => {
  it("with resume source 'none' never returns wake_stream_offset, even after a heartbeat", () => {
    const { register, heartbeat } = setup('none');
    register();
    expect(heartbeat('0000000000000000_0000000000000042').status).toBe(204);
    const record = register();
    expect(record).toEqual({ status: 200, body: { id: 'r1', label: 'host', wake_stream: 'runners/r1/wake' } });
  });

  it("with 'reported' returns the last heartbeat offset (none before the first heartbeat)", () => {
    const { register, heartbeat } = setup('reported');
    expect(register().body['wake_stream_offset']).toBeUndefined();
    heartbeat('0000000000000000_0000000000000010');
    heartbeat('0000000000000000_0000000000000042');
    expect(register().body['wake_stream_offset']).toBe('0000000000000000_0000000000000042');
  });

  it('a heartbeat from an unregistered runner is 404 RUNNER_NOT_FOUND', () => {
    const { heartbeat } = setup('reported');
    expect(heartbeat('-1')).toEqual({ status: 404, body: { error: { code: 'RUNNER_NOT_FOUND', message: 'runner r1 is not registered' } } });
  });

  it("with 'acked-seek' returns the end of the settled prefix of the wake stream", () => {
    const { ds, register, consume, wakeOffsets } = setup('acked-seek');
    expect(register().body['wake_stream_offset']).toBe('-1'); // empty stream
    ds.append(INBOX, 'one');
    expect(register().body['wake_stream_offset']).toBe('-1'); // first wake unsettled
    consume();
    ds.append(INBOX, 'two');
    const [first, second] = wakeOffsets();
    expect(register().body['wake_stream_offset']).toBe(first);
    consume();
    expect(register().body['wake_stream_offset']).toBe(second);
    ds.append(WAKE, { note: 'not a wake' }); // foreign items need no work
    expect(register().body['wake_stream_offset']).toBe(wakeOffsets()[2]);
  });
});

describe("AgentsServer register with 'claimed-seek'", () => {
  it('resumes past a wake another holder still works on, and not past one nobody claimed', () => {
    const { ds, register, claim, wakeOffsets } = setup('claimed-seek');
    ds.append(INBOX, 'one');
    expect(register().body['wake_stream_offset']).toBe('-1'); // the first wake is unclaimed
    expect(claim().status).toBe(200);
    const [first] = wakeOffsets();
    expect(register().body['wake_stream_offset']).toBe(first); // held, not settled: acked-seek would stay at -1
  });
});

describe('AgentsServer claim and done', () => {
  it('answers 204 with nothing pending, 409 ALREADY_CLAIMED while held, and a wake notification otherwise', () => {
    const { ds, claim } = setup();
    expect(claim().status).toBe(204);
    ds.append(INBOX, 'hello');
    const wake = claim();
    expect(wake).toMatchObject({ status: 200, body: { subscription_id: SUB, generation: 1, entity: { id: 'e1', type: 'echo' }, lease_ttl_ms: 5_000 } });
    expect(wake.body['write_token']).toMatch(/^wt_/);
    expect(claim()).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CLAIMED' } } });
  });

  it('a claim for a subscription without an entity is 404, and 503 while the streams service is down', () => {
    const { claim, ds, setStreamsUp } = setup();
    expect(claim('sub:nobody')).toMatchObject({ status: 404, body: { error: { code: 'ENTITY_NOT_FOUND' } } });
    ds.append(INBOX, 'hello');
    setStreamsUp(false);
    expect(claim()).toMatchObject({ status: 503, body: { error: { code: 'STREAMS_UNAVAILABLE' } } });
  });

  it('done without the wake\'s write token is 401 INVALID_WRITE_TOKEN', () => {
    const { ds, claim, call } = setup();
    ds.append(INBOX, 'hello');
    const wake = claim();
    expect(call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, { generation: 1, acks: [] }, 'wt_forged')).toMatchObject({
      status: 401,
      body: { error: { code: 'INVALID_WRITE_TOKEN' } },
    });
  });

  it('records what it saw: one observation per request, with the peer and the answer', () => {
    const { sim, ds, register, claim } = setup();
    register();
    ds.append(INBOX, 'hello');
    claim();
    const observed = sim.trace.events.filter((event) => event.actor === 'agents-server').map((event) => [event.kind, event.detail['peer'], event.detail['status'] ?? null]);
    expect(observed).toEqual([
      ['entity-created', undefined, null],
      ['runner-registered', 'test', null],
      ['claim-answered', 'test', 200],
    ]);
  });
});

describe('AgentsServer restart', () => {
  it('is down for exactly the downtime; a second restart while down does not extend it', async () => {
    const { sim, server } = setup();
    server.restart(2_000);
    expect(server.up).toBe(false);
    sim.scheduler.schedule(1_000, 'test', 'restart again', () => server.restart(10_000));
    await runLoop(sim.scheduler, { horizonMs: 1_999, maxSteps: 10 });
    expect(server.up).toBe(false);
    await runLoop(sim.scheduler, { horizonMs: 2_000, maxSteps: 10 });
    expect(server.up).toBe(true);
    expect(sim.scheduler.pendingCount).toBe(0);
  });

  it('loses write tokens: done and shared-state writes after the restart are 401; with done-release=token-gated (B3) the claim row stays active', () => {
    const { ds, server, claim, call } = setup('none', { doneRelease: 'token-gated' });
    ds.create(`${ROOT}shared/s1`);
    ds.append(INBOX, 'hello');
    const wake = claim();
    const token = String(wake.body['write_token']);
    expect(call('POST', '/_electric/shared-state/s1/rows', { type: 'row', key: 'k', value: { key: 'k', value: 1 }, headers: { operation: 'insert' } }, token).status).toBe(200);
    server.restart(1_000);
    expect(call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, { generation: 1, acks: [] }, token).status).toBe(401);
    expect(call('POST', '/_electric/shared-state/s1/rows', { type: 'row', key: 'k2', value: { key: 'k2', value: 2 }, headers: { operation: 'insert' } }, token).status).toBe(401);
    expect(claim().status).toBe(409);
    expect(server.activeClaims()).toEqual([{ wakeId: wake.body['wake_id'], subscription: SUB, runner: 'r1', generation: 1, claimedAtMs: 0, leaseHeld: true }]);
  });

  it("B3's fix (done-release=independent, the default): a done after the restart is still 401 but releases the claim row it names", () => {
    const { ds, server, claim, call } = setup();
    ds.append(INBOX, 'hello');
    const wake = claim();
    const token = String(wake.body['write_token']);
    server.restart(1_000);
    // A done naming another generation releases nothing: the row is keyed by its generation.
    expect(call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, { generation: 2, acks: [] }, token).status).toBe(401);
    expect(server.activeClaims()).toHaveLength(1);
    expect(call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, { generation: 1, acks: [] }, token).status).toBe(401);
    expect(server.activeClaims()).toEqual([]);
  });
});

describe('AgentsServer restart with write-tokens=database', () => {
  it('keeps the write tokens: once back up, the wake in flight writes and finishes with the token it was given', async () => {
    const { sim, ds, server, claim, call } = setup('none', { writeTokens: 'database' });
    ds.create(`${ROOT}shared/s1`);
    ds.append(INBOX, 'hello');
    const wake = claim();
    const token = String(wake.body['write_token']);
    server.restart(1_000);
    expect(sim.trace.events.find((event) => event.kind === 'server-down')?.detail['tokensLost']).toEqual([]);
    await runLoop(sim.scheduler, { horizonMs: 1_000, maxSteps: 10 });
    expect(call('POST', '/_electric/shared-state/s1/rows', { type: 'row', key: 'k', value: { key: 'k', value: 1 }, headers: { operation: 'insert' } }, token).status).toBe(200);
    expect(call('POST', `/_electric/wakes/${String(wake.body['wake_id'])}/done`, { generation: 1, acks: [] }, token).status).toBe(200);
    expect(server.activeClaims()).toEqual([]);
  });
});

describe('AgentsServer heartbeats and claim leases (B10)', () => {
  const abandonedWake = async (heartbeatLease: 'erase' | 'keep') => {
    const { sim, ds, server, claim, register, heartbeat } = setup('none', { heartbeatLease, claimReaper: 'sweep' });
    register();
    ds.append(INBOX, 'hello');
    expect(claim().status).toBe(200);
    expect(heartbeat('-1').status).toBe(204);
    // No done ever comes: the lease ends, and the reaper sweeps at 30 s.
    await runLoop(sim.scheduler, { horizonMs: 31_000, maxSteps: 100 });
    return server.activeClaims();
  };

  it('heartbeat-lease=keep (the fix): the reaper releases a claim whose lease ended, heartbeat or not', async () => {
    expect(await abandonedWake('keep')).toEqual([]);
  });

  it('heartbeat-lease=erase (B10): a heartbeat erased the lease, so the reaper never releases the row', async () => {
    expect(await abandonedWake('erase')).toHaveLength(1);
  });
});

describe('AgentsServer manifests', () => {
  it('commits rows without duplicates with a live write token, keeps them across a restart, and reads [] for an unknown entity', () => {
    const { ds, server, claim, call } = setup();
    expect(call('GET', '/_electric/entities/e1/manifest').body).toEqual({ rows: [] });
    ds.append(INBOX, 'hello');
    const token = String(claim().body['write_token']);
    expect(call('POST', '/_electric/entities/e1/manifest', { rows: [{ shared_id: 'a', mode: 'connect' }] }, token).status).toBe(204);
    call('POST', '/_electric/entities/e1/manifest', { rows: [{ shared_id: 'a', mode: 'connect' }, { shared_id: 'b', mode: 'create' }] }, token);
    expect(call('POST', '/_electric/entities/e1/manifest', { rows: [{ shared_id: 'c', mode: 'connect' }] }, 'wt_forged').status).toBe(401);
    server.restart(1_000);
    expect(call('GET', '/_electric/entities/e1/manifest').body).toEqual({
      rows: [
        { shared_id: 'a', mode: 'connect' },
        { shared_id: 'b', mode: 'create' },
      ],
    });
    expect(call('GET', '/_electric/entities/e2/manifest').body).toEqual({ rows: [] });
  });

  it('answers 405 for a known path with another method and 404 for an unknown one', () => {
    const { call } = setup();
    expect(call('DELETE', '/_electric/entities/e1/manifest').status).toBe(405);
    expect(call('GET', '/_electric/nothing').status).toBe(404);
  });
});
