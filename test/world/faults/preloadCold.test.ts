import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { worldFixture } from './worldFixture.ts';

/** A percent answer that fires at the cold rate (40 %: 60 and up) but not at the warm one (3 %: 97 and up). */
const COLD_ONLY = 70;

describe('a cold shared-stream connection is a span: cold until a read succeeds', () => {
  it('a process whose reads keep failing stays cold; once one succeeds, its reads are warm', async () => {
    expect(DEFAULT_FAULT_OPTIONS.preloadFailureColdPercent).toBe(40);
    expect(DEFAULT_FAULT_OPTIONS.preloadFailureWarmPercent).toBe(3);
    // Read 1: 404 (cold). Read 2: 404 again — still cold (the old rule made it warm after one read). Read 3: no
    // fault of either kind, so warm from now on. Read 4: the same answers as read 1 no longer fail it.
    const script = [COLD_ONLY, COLD_ONLY, 0, 0, COLD_ONLY, COLD_ONLY];
    const { world, streams, runUntil } = worldFixture(['preload-not-found', 'preload-foreign-item'], script);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}shared/log`);
    const statuses: number[] = [];
    for (let read = 0; read < 4; read += 1) {
      const answer = streams('GET', '/v1/stream/shared/log?offset=-1');
      await runUntil(10 * (read + 1));
      statuses.push(answer.value!.status);
    }
    expect(statuses).toEqual([404, 404, 200, 200]);
  });
});
