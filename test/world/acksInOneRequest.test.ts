import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STREAM_ROOT } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { worldFixture } from './faults/worldFixture.ts';

const ROOT = SUBSCRIPTION_STREAM_ROOT;

describe('acks of one stream twice in one request', () => {
  // Found by the fidelity differential (FIDELITY_SEED=1943702860 FIDELITY_PATH=114): the world answered 500 where the
  // reference server answers 200, its invariant holding the second ack to the first instead of the committed cursor.
  it('are each held to the committed cursor and applied in order, as the reference does: the last one wins', () => {
    const { world } = worldFixture([]);
    const entity = world.agentsServer.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
    const first = world.streams.append(`${ROOT}${entity.inbox}`, { n: 1 });
    const second = world.streams.append(`${ROOT}${entity.inbox}`, { n: 2 });
    const claim = world.subscriptions.claim(entity.subscription, 'r1');
    if (!claim.ok) throw new Error('no claim');
    const acks = [{ stream: entity.inbox, offset: second }, { stream: entity.inbox, offset: first }];
    const answer = world.subscriptions.acknowledge(entity.subscription, claim.value.token, { wake_id: claim.value.wake_id, generation: claim.value.generation, acks, done: true });
    expect(answer.ok).toBe(true);
    const next = world.subscriptions.claim(entity.subscription, 'r1');
    expect(next.ok && next.value.streams.map((stream) => [stream.acked_offset, stream.has_pending])).toEqual([[first, true]]);
  });
});
