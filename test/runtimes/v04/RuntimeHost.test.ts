import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES } from '../../../protocol/agents/agentsRoutes.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { OffsetMode } from '../../../runtimes/v04/config.ts';
import { RuntimeHost } from '../../../runtimes/v04/RuntimeHost.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import { track } from '../../world/simHelpers.ts';
import { emptyAnswer, errorAnswer, inTurn, jsonAnswer } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
const RESUME_OFFSET = formatOffset(7);

/**
 * A host process over a fake host: the agents server refuses the first registration (restarting), then hands back
 * the runner record with a resume offset; the wake stream is on the simulated service.
 */
function hostProcess(offset: OffsetMode) {
  const { host, streams, time } = streamsServiceHost(20_000, { config: { offset } });
  streams.create(streamPath(WAKE_STREAM));
  const record = { id: RUNNER_ID, label: 'host', wake_stream: WAKE_STREAM, wake_stream_offset: RESUME_OFFSET };
  host
    .on('POST', AGENTS_ROUTES.register(), inTurn(errorAnswer(503, 'SERVICE_UNAVAILABLE', 'agents-server is unavailable'), jsonAnswer(200, record)))
    .on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), () => emptyAnswer(204));
  const runtimeHost = new RuntimeHost(host.environment(), { runnerId: RUNNER_ID, label: 'host' });
  return { host, time, runtimeHost };
}

describe('RuntimeHost', () => {
  it.each([
    ['durable', RESUME_OFFSET],
    ['tail', 'now'],
  ] as const)('offset=%s: retries registration after 1 s, then starts its runner at %s', async (offset, startOffset) => {
    const { host, time, runtimeHost } = hostProcess(offset);
    await time.run(async () => {
      void runtimeHost.start();
      await time.advanceTo(1_500);
      host.sigterm.abort();
      const stopped = track(runtimeHost.stopped);
      await time.advanceTo(100_000);
      expect(stopped.settled).toBe(true);
    });
    expect(host.kinds().slice(0, 2)).toEqual(['register-failed', 'runner-start']);
    expect(host.annotations[1]?.detail).toEqual({ runnerId: RUNNER_ID, startOffset, registeredOffset: RESUME_OFFSET });
    expect(host.sent('/v1/stream/')[0]).toBe(`GET ${streamPath(WAKE_STREAM)}?offset=${startOffset}`);
    expect(time.firedTimeoutsMs[0]).toBe(1_000);
  });
});
