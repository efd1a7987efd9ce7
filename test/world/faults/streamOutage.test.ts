import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { worldFixture } from './worldFixture.ts';

const SHARED = `${SUBSCRIPTION_STREAM_ROOT}shared/log`;
const OUTAGE_MS = DEFAULT_FAULT_OPTIONS.streamOutageMinMs;

describe('stream-outage: a shared stream is out for a drawn time', () => {
  it('answers 404 to every catch-up read of that stream, from any process, until the drawn length has passed', async () => {
    const { world, streams, runUntil, kinds } = worldFixture(['stream-outage']);
    world.streams.create(SHARED);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}notes`);
    world.arm('stream-outage');
    const first = streams('GET', '/v1/stream/shared/log?offset=-1');
    await runUntil(10);
    expect(first.value?.status).toBe(404);
    expect(kinds('fault')[0]?.detail).toMatchObject({ kind: 'stream-outage', stream: 'shared/log', outageMs: OUTAGE_MS });
    const otherProcess = world.networkFor(world.newProcess('host#2'));
    const duringOutage = otherProcess.transport({ method: 'GET', url: 'http://durable-streams.sim/v1/stream/shared/log?offset=-1' });
    const otherStream = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(OUTAGE_MS - 10);
    expect((await duringOutage).status).toBe(404);
    expect(otherStream.value?.status).toBe(200);
    await runUntil(OUTAGE_MS + 10);
    const after = streams('GET', '/v1/stream/shared/log?offset=-1');
    await runUntil(OUTAGE_MS + 20);
    expect(after.value?.status).toBe(200);
    // One outage, one fault: the reads it failed are its consequence, not new faults.
    expect(kinds('fault')).toHaveLength(1);
  });

  it('ends when the fault-free quiet period begins', async () => {
    const { world, streams, runUntil } = worldFixture(['stream-outage'], [10_000]);
    world.streams.create(SHARED);
    world.arm('stream-outage');
    streams('GET', '/v1/stream/shared/log?offset=-1');
    await runUntil(10);
    world.faultsActive = false;
    const read = streams('GET', '/v1/stream/shared/log?offset=-1');
    await runUntil(20);
    expect(read.value?.status).toBe(200);
  });
});
