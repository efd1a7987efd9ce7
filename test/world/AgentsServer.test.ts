import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { AgentsServer, type ResumeOffsetSource } from '../../world/agents-server/AgentsServer.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { PullWakeSubscriptions } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import { expectHttpError, makeSim } from './simHelpers.ts';

const WAKE = '/wake/r1';
const INBOX = '/inbox/e1';
const SUB = 'sub:e1';

function setup(source: ResumeOffsetSource = 'none') {
  const sim = makeSim();
  const ds = new DurableStreamsService(sim);
  const subs = new PullWakeSubscriptions(sim, ds, { leaseTtlMs: 5_000 });
  const server = new AgentsServer(sim, ds, subs, source);
  server.createEntity('e1', INBOX, [], WAKE);
  /** Claims and acks the pending wake through the server, as a runner would. */
  const consume = () => {
    const outcome = server.claim(SUB);
    if (outcome.kind !== 'wake') throw new Error(`expected a wake, got ${outcome.reason}`);
    const { claim } = outcome;
    server.ack(SUB, claim.wake_id, claim.generation, { [INBOX]: claim.streams[0]!.tail_offset });
  };
  const wakeOffsets = () => ds.read(WAKE, '-1').items.map((item) => item.offset);
  return { sim, ds, server, consume, wakeOffsets };
}

describe('AgentsServer register', () => {
  it("with resume source 'none' never returns wake_stream_offset, even after a heartbeat", () => {
    const { server } = setup('none');
    server.register('r1', 'host', WAKE);
    server.heartbeat('r1', '0000000000000000_0000000000000042');
    const record = server.register('r1', 'host', WAKE);
    expect(record).toEqual({ id: 'r1', label: 'host', wake_stream: WAKE });
    expect('wake_stream_offset' in record).toBe(false);
  });

  it("with 'reported' returns the last heartbeat offset (none before the first heartbeat)", () => {
    const { server } = setup('reported');
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBeUndefined();
    server.heartbeat('r1', '0000000000000000_0000000000000010');
    server.heartbeat('r1', '0000000000000000_0000000000000042');
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe('0000000000000000_0000000000000042');
  });

  it('a heartbeat from an unregistered runner is 404', () => {
    const { server } = setup('reported');
    expectHttpError(() => server.heartbeat('ghost', '-1'), 404, 'RUNNER_NOT_FOUND');
  });

  it("with 'acked-seek' returns the end of the settled prefix of the wake stream", () => {
    const { ds, server, consume, wakeOffsets } = setup('acked-seek');
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe('-1'); // empty stream
    ds.append(INBOX, 'one');
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe('-1'); // first wake unsettled
    consume();
    ds.append(INBOX, 'two');
    const [first, second] = wakeOffsets();
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe(first);
    consume();
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe(second);
    ds.append(WAKE, { note: 'not a wake' }); // foreign items need no work
    expect(server.register('r1', 'host', WAKE).wake_stream_offset).toBe(wakeOffsets()[2]);
  });
});

describe('AgentsServer claim and ack', () => {
  it('maps NO_PENDING_WORK and ALREADY_CLAIMED to skips and returns a wake otherwise', () => {
    const { ds, server } = setup();
    expect(server.claim(SUB)).toEqual({ kind: 'skip', reason: 'NO_PENDING_WORK' });
    ds.append(INBOX, 'hello');
    expect(server.claim(SUB)).toMatchObject({ kind: 'wake', entity: 'e1', claim: { generation: 1 } });
    expect(server.claim(SUB)).toEqual({ kind: 'skip', reason: 'ALREADY_CLAIMED' });
  });

  it('a claim for a subscription without an entity is 404', () => {
    const { server } = setup();
    expectHttpError(() => server.claim('sub:nobody'), 404, 'ENTITY_NOT_FOUND');
  });

  it('an ack with an unknown wake id is 409 CLAIM_UNKNOWN', () => {
    const { server } = setup();
    expectHttpError(() => server.ack(SUB, `${SUB}/9`, 9, {}), 409, 'CLAIM_UNKNOWN');
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

  it('loses claim tokens: an ack after the restart is 409 CLAIM_UNKNOWN and the DS lease stays held', () => {
    const { ds, server } = setup();
    ds.append(INBOX, 'hello');
    const outcome = server.claim(SUB);
    if (outcome.kind !== 'wake') throw new Error('expected a wake');
    server.restart(1_000);
    expectHttpError(() => server.ack(SUB, outcome.claim.wake_id, outcome.claim.generation, {}), 409, 'CLAIM_UNKNOWN');
    expect(server.claim(SUB)).toEqual({ kind: 'skip', reason: 'ALREADY_CLAIMED' });
  });
});

describe('AgentsServer manifests', () => {
  it('commits rows without duplicates, keeps them across a restart, and reads [] for an unknown entity', () => {
    const { server } = setup();
    expect(server.readManifest('e1')).toEqual([]);
    server.commitManifest('e1', [{ sharedId: 'a', mode: 'connect' }]);
    server.commitManifest('e1', [{ sharedId: 'a', mode: 'connect' }, { sharedId: 'b', mode: 'create' }]);
    server.restart(1_000);
    expect(server.readManifest('e1')).toEqual([
      { sharedId: 'a', mode: 'connect' },
      { sharedId: 'b', mode: 'create' },
    ]);
    expect(server.readManifest('e2')).toEqual([]);
  });
});
