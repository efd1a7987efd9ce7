import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES } from '../../../protocol/agents/agentsRoutes.ts';
import { streamPath, type WakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import { STREAMS_TIERS, type OffsetMode, type StreamsTier } from '../../../runtimes/v04/config.ts';
import { PullWakeRunner } from '../../../runtimes/v04/runner/PullWakeRunner.ts';
import type { TraceValue } from '../../../sim/trace/Trace.ts';
import { bodyJson } from '../../../world/http/messageBody.ts';
import { track } from '../../world/simHelpers.ts';
import { emptyAnswer, held, type FakeHost } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
const WAKE_PATH = streamPath(WAKE_STREAM);
const LONG_POLL_TIMEOUT_MS = 20_000;
const wake = (subscription: string): TraceValue => ({ type: 'wake', subscription_id: subscription, stream: 'entities/x/inbox', generation: 1, ts: 0 }) satisfies WakeEvent;

/**
 * A runner over a fake host: its wake stream on the simulated Durable Streams service, an agents server that takes
 * heartbeats, answers sub:a's claim with nothing pending, and never answers sub:b's (its request is still on the
 * network when the runner stops).
 */
function runnerOver(tier: StreamsTier, offset: OffsetMode) {
  const { host, streams, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config: { wiring: 'retry', offset, streams: tier } });
  streams.create(WAKE_PATH);
  host
    .on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), () => emptyAnswer(204))
    .on('POST', AGENTS_ROUTES.claim(RUNNER_ID), (request) => ((bodyJson(request) as { subscription_id: string }).subscription_id === 'sub:a' ? emptyAnswer(204) : held(request)));
  const runner = new PullWakeRunner(host.environment(), { runnerId: RUNNER_ID, wakeStream: WAKE_STREAM, startOffset: '-1' });
  return { host, streams, time, runner };
}

/** Runs the runner until `beforeStopMs`, stops it, and returns what it read and the offset its stop heartbeat reported. */
async function stopAt(setup: ReturnType<typeof runnerOver>, beforeStopMs: number, meanwhile: () => void = () => {}) {
  const { host, time, runner } = setup;
  await time.run(async () => {
    runner.start();
    await time.advanceTo(1_000);
    meanwhile();
    await time.advanceTo(beforeStopMs);
    const stopped = track(runner.stop());
    await time.advanceTo(beforeStopMs + 60_000);
    expect(stopped.settled).toBe(true);
  });
  return { reads: detailsOf(host, 'wake-read'), finalHeartbeat: finalHeartbeat(host), state: runner.lifecycleState };
}

const detailsOf = (host: FakeHost, kind: string) => host.annotations.filter((annotation) => annotation.kind === kind).map((annotation) => annotation.detail);

/** The last heartbeat as the runner said it sent it and as the server received it. */
function finalHeartbeat(host: FakeHost) {
  const said = detailsOf(host, 'heartbeat').at(-1);
  const sent = host.requests.filter((request) => request.target === AGENTS_ROUTES.heartbeat(RUNNER_ID)).at(-1);
  return { offset: said?.['offset'], reason: said?.['reason'], ok: said?.['ok'], received: sent && (JSON.parse(sent.body!) as { wake_stream_offset: string }).wake_stream_offset };
}

describe.each(STREAMS_TIERS)('offset=durable resumes at a position its reader can name (%s tier)', (tier) => {
  it('two wakes in one answer share its offset, so the mark stays before them while the second claim is open', async () => {
    const setup = runnerOver(tier, 'durable');
    setup.streams.append(WAKE_PATH, wake('sub:a'));
    const batchEnd = setup.streams.append(WAKE_PATH, wake('sub:b'));
    const { reads, finalHeartbeat, state } = await stopAt(setup, 1_000);
    expect(reads).toEqual([
      { offset: batchEnd, subscription: 'sub:a', generation: 1 },
      { offset: batchEnd, subscription: 'sub:b', generation: 1 },
    ]);
    expect(detailsOf(setup.host, 'claim-settled').map((detail) => [detail['subscription'], detail['outcome']])).toEqual([['sub:a', 'NO_PENDING_WORK']]);
    // The next runner reads the settled first wake again: the price of one offset per answer.
    expect(finalHeartbeat).toEqual({ offset: '-1', reason: 'stop', ok: true, received: '-1' });
    expect(state).toBe('stopped');
  });

  it('a wake in an answer of its own moves the mark past it once its claim settled', async () => {
    const setup = runnerOver(tier, 'durable');
    const first = setup.streams.append(WAKE_PATH, wake('sub:a'));
    let second = '';
    const { reads, finalHeartbeat } = await stopAt(setup, 2_000, () => (second = setup.streams.append(WAKE_PATH, wake('sub:b'))));
    expect(reads.map((read) => [read['subscription'], read['offset']])).toEqual([
      ['sub:a', first],
      ['sub:b', second],
    ]);
    expect(finalHeartbeat).toEqual({ offset: first, reason: 'stop', ok: true, received: first });
  });

  it('offset=durable-raw reports the raw read offset instead: past the wake whose claim is still open', async () => {
    const setup = runnerOver(tier, 'durable-raw');
    setup.streams.append(WAKE_PATH, wake('sub:a'));
    let second = '';
    const { finalHeartbeat } = await stopAt(setup, 2_000, () => (second = setup.streams.append(WAKE_PATH, wake('sub:b'))));
    expect(finalHeartbeat).toEqual({ offset: second, reason: 'stop', ok: true, received: second });
  });
});
