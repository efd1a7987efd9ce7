import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { worldFixture } from './worldFixture.ts';

const ROOT = SUBSCRIPTION_STREAM_ROOT;

describe('ds-restart: Durable Streams is down for a while', () => {
  it('cuts a held read (its caller sees the connection drop), answers 503 while down, and keeps data and offsets', async () => {
    const { world, streams, runUntil } = worldFixture(['ds-restart']);
    world.streams.create(`${ROOT}notes`);
    world.streams.append(`${ROOT}notes`, { n: 1 });
    const before = world.streams.read(`${ROOT}notes`, '-1');
    const held = streams('GET', `/v1/stream/notes?offset=${encodeURIComponent(before.nextOffset)}&live=long-poll`);
    await runUntil(10);
    expect(held.settled).toBe(false);
    world.streamsFront.restart(5_000);
    await runUntil(20);
    expect(held.error).toBeInstanceOf(TypeError);
    const whileDown = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(30);
    expect(whileDown.value?.status).toBe(503);
    await runUntil(5_020);
    const after = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(5_030);
    expect(after.value?.status).toBe(200);
    expect(JSON.parse(after.value!.body)).toEqual([{ n: 1 }]);
    expect(after.value?.headers['stream-next-offset']).toBe(before.nextOffset);
  });

  it('loses leases and outstanding wakes, not cursors; back up, pending work is woken again at the next generation', async () => {
    const { world, runUntil, kinds } = worldFixture(['ds-restart']);
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 1 });
    const first = world.subscriptions.claim(entity.subscription, 'r1');
    expect(first.ok && first.value.generation).toBe(1);
    world.streamsFront.restart(2_000);
    expect(world.subscriptions.holderOf(entity.subscription)).toBeNull();
    expect(kinds('lease-ended').map((event) => event.detail['reason'])).toEqual(['lost']);
    expect(kinds('streams-down')[0]?.detail['leasesLost']).toEqual([{ subscription: entity.subscription, generation: 1, holder: 'r1' }]);
    // A write while down wakes nobody yet.
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 2 });
    expect(kinds('wake-appended')).toHaveLength(1);
    await runUntil(2_000);
    expect(kinds('streams-up')).toHaveLength(1);
    expect(kinds('wake-appended').map((event) => event.detail['generation'])).toEqual([1, 2]);
    const second = world.subscriptions.claim(entity.subscription, 'r1');
    expect(second.ok && second.value.streams.map((stream) => [stream.acked_offset, stream.has_pending])).toEqual([['0000000000000000_0000000000000000', true]]);
  });

  it('the old lease\'s token is refused after the restart: its done cannot release the new wake', async () => {
    const { world, runUntil } = worldFixture(['ds-restart']);
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 1 });
    const first = world.subscriptions.claim(entity.subscription, 'r1');
    if (!first.ok) throw new Error('no claim');
    world.streamsFront.restart(1_000);
    await runUntil(1_000);
    const ack = world.subscriptions.acknowledge(entity.subscription, first.value.token, { wake_id: first.value.wake_id, generation: 1, acks: [], done: true });
    expect(ack.ok ? 'ok' : ack.failure.code).toBe('TOKEN_INVALID');
  });

  it('lease-store=durable: a restart keeps the lease, its token and the wake; the holder renews and finishes it after', async () => {
    const { world, runUntil, kinds } = worldFixture(['ds-restart'], [], DEFAULT_FAULT_OPTIONS, { leaseStore: 'durable' });
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 1 });
    const first = world.subscriptions.claim(entity.subscription, 'r1');
    if (!first.ok) throw new Error('no claim');
    world.streamsFront.restart(2_000);
    expect(kinds('streams-down')[0]?.detail['leasesLost']).toEqual([]);
    expect(kinds('lease-ended')).toEqual([]);
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 2 });
    await runUntil(2_000);
    // Back up: no wake re-issued beside the held one, and a second claimant is told who holds it.
    expect(kinds('wake-appended').map((event) => event.detail['generation'])).toEqual([1]);
    const second = world.subscriptions.claim(entity.subscription, 'r2');
    expect(second.ok ? 'granted' : second.failure.code).toBe('ALREADY_CLAIMED');
    const report = { wake_id: first.value.wake_id, generation: 1, acks: [] };
    expect(world.subscriptions.acknowledge(entity.subscription, first.value.token, report).ok).toBe(true);
    expect(world.subscriptions.acknowledge(entity.subscription, first.value.token, { ...report, done: true }).ok).toBe(true);
    // The message written while down is still work: the done issues the next wake.
    expect(kinds('wake-appended').map((event) => event.detail['generation'])).toEqual([1, 2]);
  });

  it('lease-store=durable: no lease runs out while the service is down; back up, each has a whole lease again', async () => {
    const { world, runUntil, kinds } = worldFixture(['ds-restart'], [], DEFAULT_FAULT_OPTIONS, { leaseStore: 'durable' });
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 1 });
    expect(world.subscriptions.claim(entity.subscription, 'r1').ok).toBe(true);
    await runUntil(29_000);
    world.streamsFront.restart(5_000);
    // Past the lease's expiry, down: it is still held.
    await runUntil(33_000);
    expect(world.subscriptions.holderOf(entity.subscription)).toBe('r1');
    await runUntil(34_000);
    expect(kinds('lease-extended').map((event) => event.atMs)).toEqual([34_000]);
    // Nobody renews it: it runs out a whole lease after the service came back, and the work is woken again.
    await runUntil(64_000);
    expect(kinds('lease-ended').map((event) => [event.atMs, event.detail['reason']])).toEqual([[64_000, 'expired']]);
    expect(kinds('wake-appended').map((event) => [event.atMs, event.detail['generation']])).toEqual([
      [0, 1],
      [64_000, 2],
    ]);
  });

  it('the agents server answers 503 to a claim while Durable Streams is down', async () => {
    const { world, network, runUntil } = worldFixture(['ds-restart']);
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`${ROOT}${entity.inbox}`, { hello: 1 });
    world.streamsFront.restart(1_000);
    const claim = network.transport({ method: 'POST', url: 'http://agents.sim/_electric/runners/r1/claim', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscription_id: entity.subscription }) });
    await runUntil(10);
    expect((await claim).status).toBe(503);
  });
});
