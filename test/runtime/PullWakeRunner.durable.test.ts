import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/config.ts';
import type { AgentsClient, RuntimeEnvironment } from '../../runtime/ports.ts';
import { PullWakeRunner } from '../../runtime/runner/PullWakeRunner.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import type { ClaimOutcome } from '../../world/agents-server/AgentsServer.ts';
import { drain, track } from '../world/simHelpers.ts';
import { simulatedStreamsService } from '../world/simulatedStreamsService.ts';

const WAKE_STREAM = '/runners/runner-1/wake';
const LONG_POLL_TIMEOUT_MS = 20_000;

/**
 * `offset=durable` over each tier's reader: two wakes are waiting when the runner starts, the first claim settles and
 * the second is still in flight when the runner stops. The final heartbeat reports the settled low-water mark.
 */
async function stopWithSecondClaimInFlight(streamsTier: 'fast' | 'real') {
  const { sim, streams, facade, port } = simulatedStreamsService(LONG_POLL_TIMEOUT_MS);
  streams.create(WAKE_STREAM);
  const first = streams.append(WAKE_STREAM, { type: 'wake', subscription_id: 'sub:a', stream: '/a/inbox', generation: 1, ts: 0 });
  streams.append(WAKE_STREAM, { type: 'wake', subscription_id: 'sub:b', stream: '/b/inbox', generation: 1, ts: 0 });

  const heartbeats: Array<{ offset: string; reason: string }> = [];
  const events: Array<{ kind: string; detail: object }> = [];
  const agents: AgentsClient = {
    register: () => Promise.reject(new Error('not used')),
    heartbeat: async () => {},
    // sub:a has nothing pending; sub:b's claim never answers (its request is still on the network at the stop).
    claim: (subscriptionId) =>
      subscriptionId === 'sub:a' ? Promise.resolve<ClaimOutcome>({ kind: 'skip', reason: 'NO_PENDING_WORK' }) : new Promise<ClaimOutcome>(() => {}),
    ack: () => Promise.reject(new Error('not used')),
    readManifest: () => Promise.reject(new Error('not used')),
    commitManifest: () => Promise.reject(new Error('not used')),
  };
  const env: RuntimeEnvironment = {
    processName: 'host#1',
    nowMs: () => sim.scheduler.nowMs,
    sleep: (delayMs, label) => new Promise((resolve) => void sim.scheduler.schedule(delayMs, 'host#1', label, () => resolve())),
    emit: (kind, detail = {}) => {
      events.push({ kind, detail });
      if (kind === 'heartbeat') heartbeats.push({ offset: String(detail['offset']), reason: String(detail['reason']) });
    },
    streams: port,
    agents,
    http: { origin: 'http://durable-streams.sim', fetch: facade.fetch },
  };
  const config: RuntimeConfig = { wiring: 'retry', offset: 'durable', idempotency: 'raw-collection', ...(streamsTier === 'real' ? { streams: 'real' } : {}) };
  const runner = new PullWakeRunner(env, config, { runnerId: 'runner-1', wakeStream: WAKE_STREAM, startOffset: '-1', handlers: new Map() });
  runner.start();
  await drain();
  await runLoop(sim.scheduler, { horizonMs: 1_000, maxSteps: 1_000 });
  const stopped = track(runner.stop());
  await drain();
  await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 10_000 });
  await drain();
  expect(stopped.settled).toBe(true);
  const reads = events.filter((event) => event.kind === 'wake-read').map((event) => event.detail);
  return { first, reads, finalHeartbeat: heartbeats.at(-1)! };
}

describe('offset=durable resumes at a position its reader can name', () => {
  it('fast tier: each wake has its own offset, so the mark moves past the settled first wake', async () => {
    const { first, reads, finalHeartbeat } = await stopWithSecondClaimInFlight('fast');
    expect(reads.map((read) => (read as { subscription: string }).subscription)).toEqual(['sub:a', 'sub:b']);
    expect(finalHeartbeat).toEqual({ offset: first, reason: 'stop' });
  });

  it('library tier: the client gives one offset for the batch, so the mark stays before it and the next runner reads the settled first wake again', async () => {
    const { reads, finalHeartbeat } = await stopWithSecondClaimInFlight('real');
    const batchEnd = (reads[0] as { offset: string }).offset;
    expect(reads).toEqual([
      { offset: batchEnd, subscription: 'sub:a', generation: 1 },
      { offset: batchEnd, subscription: 'sub:b', generation: 1 },
    ]);
    expect(finalHeartbeat).toEqual({ offset: '-1', reason: 'stop' });
  });
});
