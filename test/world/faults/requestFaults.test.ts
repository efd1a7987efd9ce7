import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { worldFixture } from './worldFixture.ts';

const NOTES = `${SUBSCRIPTION_STREAM_ROOT}notes`;

describe('server-error and rate-limit: Durable Streams refuses a request at its door', () => {
  it('server-error answers a 5xx (which one is a choice, 500 first) and serves nothing: a refused append stores nothing', async () => {
    const { world, streams, runUntil, kinds } = worldFixture(['server-error'], [2]);
    world.streams.create(NOTES);
    world.arm('server-error');
    const append = streams('POST', '/v1/stream/notes', JSON.stringify({ n: 1 }));
    await runUntil(10);
    expect(append.value?.status).toBe(503);
    expect(append.value?.body).toBe('Service unavailable');
    expect(world.streams.read(NOTES, '-1').items).toEqual([]);
    expect(kinds('fault')[0]?.detail).toMatchObject({ kind: 'server-error', peer: 'host#1', method: 'POST', status: 503 });
  });

  it('rate-limit answers 429 with a Retry-After in seconds', async () => {
    const { world, streams, runUntil } = worldFixture(['rate-limit']);
    world.streams.create(NOTES);
    world.arm('rate-limit');
    const read = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(10);
    expect(read.value?.status).toBe(429);
    expect(read.value?.headers['retry-after']).toBe('1');
  });

  it('neither strikes when its kind is off, whatever the choices say', async () => {
    const { world, streams, runUntil } = worldFixture(['redeploy'], [99, 99, 99]);
    world.streams.create(NOTES);
    const read = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(10);
    expect(read.value?.status).toBe(200);
  });
});
