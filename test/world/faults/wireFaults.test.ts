import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { SERVICE_ORIGINS } from '../../../world/World.ts';
import { track } from '../simHelpers.ts';
import { worldFixture } from './worldFixture.ts';

const post = (network: ReturnType<typeof worldFixture>['network']) =>
  track(
    network.transport({
      method: 'POST',
      url: `${SERVICE_ORIGINS.chat}/channels/digests/messages`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entity: 'digest-1', action: 'digest:0', text: 'day 1' }),
    }),
  );

describe('wire faults', () => {
  it.each([
    ['lost-answer', 1],
    ['connection-drop', 0],
  ] as const)('%s: the poster\'s fetch fails (posts the chat performed: %i), an outcome the poster cannot know', async (kind, performed) => {
    const { world, network, runUntil, kinds } = worldFixture([kind]);
    world.arm(kind);
    const call = post(network);
    await runUntil(10);
    expect(kinds('action-performed')).toHaveLength(performed);
    expect(call.error).toBeInstanceOf(TypeError);
    expect(kinds('fault')[0]?.detail).toMatchObject({ kind, peer: 'host#1', service: 'chat' });
  });

  it('stale-connection: a held read is served, but its answer never comes and never fails; other reads are not held', async () => {
    const { world, streams, runUntil, kinds } = worldFixture(['stale-connection']);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}notes`);
    world.arm('stale-connection');
    const catchUp = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(10);
    expect(catchUp.value?.status).toBe(200);
    const tail = catchUp.value!.headers['stream-next-offset']!;
    const held = streams('GET', `/v1/stream/notes?offset=${encodeURIComponent(tail)}&live=long-poll`);
    world.streams.append(`${SUBSCRIPTION_STREAM_ROOT}notes`, { n: 1 });
    await runUntil(60_000);
    expect(kinds('stream-read').filter((event) => event.detail['live'] === true)).toHaveLength(1);
    expect(held.settled).toBe(false);
  });

  it('hung-connect: a request opening a connection to Durable Streams never completes; the next one connects again', async () => {
    const { world, streams, runUntil } = worldFixture(['hung-connect']);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}notes`);
    world.arm('hung-connect');
    const first = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(60_000);
    expect(first.settled).toBe(false);
    const second = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(60_010);
    expect(second.value?.status).toBe(200);
  });
});
