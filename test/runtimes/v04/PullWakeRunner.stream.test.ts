import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES } from '../../../protocol/agents/agentsRoutes.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { PullWakeRunner } from '../../../runtimes/v04/runner/PullWakeRunner.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import type { V04Config } from '../../../runtimes/v04/config.ts';
import { emptyAnswer, errorAnswer, held, inTurn, type Responder } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
const WAKE_PATH = streamPath(WAKE_STREAM);
const LONG_POLL_TIMEOUT_MS = 20_000;

/**
 * A fast-tier runner over a fake host in front of the simulated service, its heartbeats answered by `heartbeat`, and
 * the virtual times and offsets of its catch-up reads of the wake stream (each one a new connection).
 */
function runnerWith(heartbeat: Responder, config: Partial<V04Config> = {}) {
  const { host, streams, facade, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config });
  const connections: Array<{ atMs: number; offset: string | null }> = [];
  host.on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), heartbeat).on('GET', WAKE_PATH, (request) => {
    if (request.url.searchParams.get('live') === null) connections.push({ atMs: time.nowMs, offset: request.url.searchParams.get('offset') });
    return facade.serve(request);
  });
  const runner = new PullWakeRunner(host.environment(), { runnerId: RUNNER_ID, wakeStream: WAKE_STREAM, startOffset: '-1' });
  return { host, streams, time, runner, connections };
}

const unavailable = errorAnswer(503, 'SERVICE_UNAVAILABLE', 'agents-server is unavailable');

describe('PullWakeRunner, its wake stream connection', () => {
  it('reconnects after a failed read with a backoff doubling from 1 s to at most 30 s, and starts over once connected', async () => {
    const { streams, time, runner, connections } = runnerWith(() => emptyAnswer(204));
    time.scheduler.schedule(50_000, 'test', 'create the wake stream', () => streams.create(WAKE_PATH));
    time.scheduler.schedule(70_000, 'test', 'delete the wake stream', () => void streams.delete(WAKE_PATH));
    await time.run(async () => {
      runner.start();
      await time.advanceTo(74_000);
      // Missing until 50 s: 1, 2, 4, 8, 16 s, then 30 s instead of 32. Connected at 61 s; the deletion ends the held
      // long-poll at 70 s, and the backoff starts over from 1 s.
      expect(connections.map((connection) => connection.atMs)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 61_000, 71_000, 73_000]);
      expect(runner.lifecycleState).toBe('reconnecting');
      void runner.stop();
      await time.advanceTo(200_000);
    });
  });

  it('two heartbeat failures in a row reset the stream: it reconnects from its read offset after the backoff', async () => {
    // A success in between starts the count over: only the third and fourth failures in a row reset.
    const { streams, host, time, runner, connections } = runnerWith(inTurn(unavailable, emptyAnswer(204), unavailable, unavailable, emptyAnswer(204)));
    streams.create(WAKE_PATH);
    await time.run(async () => {
      runner.start();
      await time.advanceTo(125_000);
      void runner.stop();
      await time.advanceTo(200_000);
    });
    const heartbeats = host.annotations.filter((annotation) => annotation.kind === 'heartbeat' || annotation.kind === 'stream-reset');
    expect(heartbeats.map((annotation) => (annotation.kind === 'heartbeat' ? [annotation.detail['reason'], annotation.detail['ok']] : annotation.kind))).toEqual([
      ['interval', false],
      ['interval', true],
      ['interval', false],
      ['interval', false],
      'stream-reset',
      ['stop', true],
    ]);
    // The empty stream's tail is where the reader was caught up; the reset connection reads on from there.
    expect(connections).toEqual([
      { atMs: 0, offset: '-1' },
      { atMs: 121_000, offset: formatOffset(0) },
    ]);
  });

  it('stream-reconnect=give-up (historical B4(a)): the first failed read ends the read loop; heartbeats go on', async () => {
    const { streams, host, time, runner, connections } = runnerWith(() => emptyAnswer(204), { streamReconnect: 'give-up' });
    // The stream is missing at first, so the first read fails; it exists from 10 s on, but nobody reads it again.
    time.scheduler.schedule(10_000, 'test', 'create the wake stream', () => streams.create(WAKE_PATH));
    await time.run(async () => {
      runner.start();
      await time.advanceTo(95_000);
      void runner.stop();
      await time.advanceTo(200_000);
    });
    expect(connections.map((connection) => connection.atMs)).toEqual([0]);
    expect(host.annotations.filter((annotation) => annotation.kind === 'stream-given-up')).toHaveLength(1);
    const heartbeats = host.annotations.filter((annotation) => annotation.kind === 'heartbeat').map((annotation) => annotation.detail['reason']);
    expect(heartbeats).toEqual(['interval', 'interval', 'interval', 'stop']);
  });
});

describe('PullWakeRunner, the reset of a connect that hangs (historical B5)', () => {
  /** Heartbeats always fail; the wake stream's first catch-up read (the first connect) never answers until aborted. */
  function hungFirstConnect(config: Partial<V04Config>) {
    const { host, streams, facade, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config });
    const connections: number[] = [];
    host.on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), () => unavailable).on('GET', WAKE_PATH, (request) => {
      if (request.url.searchParams.get('live') !== null) return facade.serve(request);
      connections.push(time.nowMs);
      return connections.length === 1 ? held(request) : facade.serve(request);
    });
    streams.create(WAKE_PATH);
    const runner = new PullWakeRunner(host.environment(), { runnerId: RUNNER_ID, wakeStream: WAKE_STREAM, startOffset: '-1' });
    return { host, time, runner, connections };
  }

  async function runFor(runner: PullWakeRunner, time: ReturnType<typeof hungFirstConnect>['time'], untilMs: number): Promise<string> {
    let state = '';
    await time.run(async () => {
      runner.start();
      await time.advanceTo(untilMs);
      state = runner.lifecycleState;
      void runner.stop();
      await time.advanceTo(untilMs + 100_000);
    });
    return state;
  }

  it('stream-reset=connected-only (the defect): the reset during the pending connect is ignored; the runner stays connecting', async () => {
    const { host, time, runner, connections } = hungFirstConnect({ streamReset: 'connected-only' });
    expect(await runFor(runner, time, 125_000)).toBe('connecting');
    expect(connections).toEqual([0]);
    const resets = host.annotations.filter((annotation) => annotation.kind === 'stream-reset' || annotation.kind === 'stream-reset-ignored');
    // Four failed heartbeats (30, 60, 90, 120 s): two requests for a reset, both ignored while connecting.
    expect(resets.map((annotation) => [annotation.kind, annotation.detail['state']])).toEqual([
      ['stream-reset-ignored', 'connecting'],
      ['stream-reset-ignored', 'connecting'],
    ]);
  });

  it('stream-reset=any-state (the fix, the default): the reset aborts the pending connect and the runner reconnects', async () => {
    const { host, time, runner, connections } = hungFirstConnect({});
    expect(await runFor(runner, time, 100_000)).toBe('streaming');
    // The second failed heartbeat (60 s) resets; the reconnect follows after the 1 s backoff.
    expect(connections).toEqual([0, 61_000]);
    expect(host.annotations.filter((annotation) => annotation.kind === 'stream-reset-ignored')).toHaveLength(0);
    expect(host.annotations.filter((annotation) => annotation.kind === 'stream-error').map((annotation) => annotation.detail['error'])).toEqual([
      expect.stringContaining('heartbeat failures'),
    ]);
  });
});
