import { describe, expect, it } from 'vitest';
import { streamPath, type WakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import { STREAMS_TIERS, type StreamsTier } from '../../../runtimes/v04/config.ts';
import { createWakeStreamReader } from '../../../runtimes/v04/runner/createWakeStreamReader.ts';
import type { WakeStreamBatch } from '../../../runtimes/v04/runner/WakeStreamReader.ts';
import type { TraceValue } from '../../../sim/trace/Trace.ts';
import { track } from '../../world/simHelpers.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const WAKE_STREAM = 'runners/runner-1/wake';
const WAKE_PATH = streamPath(WAKE_STREAM);
const LONG_POLL_TIMEOUT_MS = 20_000;
const wake = (generation: number): TraceValue => ({ type: 'wake', subscription_id: 'sub:e', stream: 'entities/e/inbox', generation, ts: 0 }) satisfies WakeEvent;

/** The simulated service with a wake stream, and the reader of `tier` over a fake host in front of it. */
function setUp(tier: StreamsTier) {
  const { host, streams, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config: { streams: tier } });
  streams.create(WAKE_PATH);
  return { streams, time, reader: createWakeStreamReader(host.environment()) };
}

/** Follows `stream` from `offset`, recording what the reader reports; `interrupt()` aborts it. */
function follow(reader: ReturnType<typeof createWakeStreamReader>, offset: string, stream = WAKE_STREAM) {
  const connection = new AbortController();
  const log: Array<'connected' | WakeStreamBatch> = [];
  const ended = track(reader.follow(stream, offset, connection.signal, { connected: () => log.push('connected'), batch: (batch) => void log.push(batch) }));
  return { log, ended, interrupt: () => connection.abort(new Error('stop reading')) };
}

const generations = (entry: 'connected' | WakeStreamBatch) => (entry === 'connected' ? 'connected' : entry.items.map((item) => (item.value as WakeEvent).generation));
const batchesOf = (log: ReadonlyArray<'connected' | WakeStreamBatch>) => log.filter((entry): entry is WakeStreamBatch => entry !== 'connected');

// `fast` is the runtime's own reader over its HTTP client; `real` is @durable-streams/client over the host's fetch.
describe.each(STREAMS_TIERS)('the %s tier\'s wake stream reader', (tier) => {
  it('delivers a catch-up batch with one offset for all its wakes: the protocol gives one per answer', async () => {
    const { streams, time, reader } = setUp(tier);
    const offsets = [1, 2, 3].map((generation) => streams.append(WAKE_PATH, wake(generation)));
    await time.run(async () => {
      const following = follow(reader, '-1');
      await time.advanceTo(1);
      expect(following.log.map(generations)).toEqual(['connected', [1, 2, 3]]);
      const batch = following.log[1] as WakeStreamBatch;
      expect(batch.endOffset).toBe(offsets[2]);
      expect(batch.items.map((item) => item.offset)).toEqual([offsets[2], offsets[2], offsets[2]]);
      following.interrupt();
    });
  });

  it('keeps reading live: a wake appended later arrives through its long-poll', async () => {
    const { streams, time, reader } = setUp(tier);
    await time.run(async () => {
      const following = follow(reader, '-1');
      await time.advanceTo(5_000);
      const offset = streams.append(WAKE_PATH, wake(1));
      await time.advanceTo(60_000);
      const batches = batchesOf(following.log);
      expect(batches.filter((batch) => batch.items.length > 0).map((batch) => [generations(batch), batch.endOffset])).toEqual([[[1], offset]]);
      // Long-poll timeouts answer no items and the offset the reader is caught up at.
      expect(batches.filter((batch) => batch.items.length === 0).every((batch) => batch.endOffset <= offset)).toBe(true);
      expect(batches.at(-1)?.endOffset).toBe(offset);
      expect(following.ended.settled).toBe(false);
      following.interrupt();
    });
  });

  it('an interrupt ends the reading: the reader rejects with the reason and its held long-poll is released', async () => {
    const { time, reader } = setUp(tier);
    await time.run(async () => {
      const following = follow(reader, '-1');
      await time.advanceTo(5_000);
      expect(time.scheduler.pendingTasks().map((task) => task.label)).toContain(`long-poll timeout ${WAKE_PATH}`);
      const reportedBefore = following.log.length;
      following.interrupt();
      await time.advanceTo(200_000);
      expect(following.ended.settled).toBe(true);
      expect(String(following.ended.error)).toBe('Error: stop reading');
      expect(following.log).toHaveLength(reportedBefore);
      expect(time.scheduler.pendingTasks()).toEqual([]);
    });
  });

  it('from `now`, it reports the tail with an empty first batch', async () => {
    const { streams, time, reader } = setUp(tier);
    const tail = [1, 2].map((generation) => streams.append(WAKE_PATH, wake(generation)))[1];
    await time.run(async () => {
      const following = follow(reader, 'now');
      await time.advanceTo(1);
      expect(following.log.slice(0, 2)).toEqual(['connected', { items: [], endOffset: tail }]);
      following.interrupt();
    });
  });

  it('rejects when the wake stream does not exist, having reported nothing', async () => {
    const { time, reader } = setUp(tier);
    await time.run(async () => {
      const following = follow(reader, '-1', 'runners/nobody/wake');
      await time.advanceTo(60_000);
      expect(following.ended.settled).toBe(true);
      expect(following.ended.error).toMatchObject({ status: 404 });
      expect(following.log).toEqual([]);
    });
  });
});
