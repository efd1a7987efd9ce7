import { describe, expect, it } from 'vitest';
import { ClientWakeStreamReader } from '../../runtime/runner/ClientWakeStreamReader.ts';
import { PortWakeStreamReader } from '../../runtime/runner/PortWakeStreamReader.ts';
import type { WakeStreamBatch, WakeStreamReader } from '../../runtime/runner/WakeStreamReader.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { drain, track } from '../world/simHelpers.ts';
import { simulatedStreamsService } from '../world/simulatedStreamsService.ts';

const WAKE_STREAM = '/runners/runner-1/wake';
const LONG_POLL_TIMEOUT_MS = 20_000;
const wake = (generation: number): TraceValue => ({ type: 'wake', subscription_id: 'sub:e', stream: '/e/inbox', generation, ts: 0 });

/** A simulated service with a wake stream, and both readers over it: the fast tier's port and the real client. */
function setUp() {
  const { sim, streams, facade, port } = simulatedStreamsService(LONG_POLL_TIMEOUT_MS);
  streams.create(WAKE_STREAM);
  const readers: Record<'port' | 'client', WakeStreamReader> = {
    port: new PortWakeStreamReader(port),
    client: new ClientWakeStreamReader({ origin: 'http://durable-streams.sim', fetch: facade.fetch }),
  };
  return { sim, streams, readers };
}

/** Follows the wake stream from `offset`, recording what the reader reports; `interrupt()` ends it. */
function follow(reader: WakeStreamReader, offset: string) {
  let interrupt!: (reason: Error) => void;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => {});
  const log: Array<'connected' | WakeStreamBatch> = [];
  const ended = track(reader.follow(WAKE_STREAM, offset, interrupted, { connected: () => log.push('connected'), batch: (batch) => log.push(batch) }));
  return { log, ended, interrupt: () => interrupt(new Error('stop reading')) };
}

const generations = (batch: 'connected' | WakeStreamBatch) => (batch === 'connected' ? 'connected' : batch.items.map((item) => (item.value as { generation: number }).generation));

describe('wake stream readers', () => {
  it('the client delivers a catch-up batch with one offset for all its wakes; the port gives each wake its own', async () => {
    const { sim, streams, readers } = setUp();
    const offsets = [1, 2, 3].map((generation) => streams.append(WAKE_STREAM, wake(generation)));
    const client = follow(readers.client, '-1');
    const port = follow(readers.port, '-1');
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 1, maxSteps: 100 });
    await drain();

    expect(client.log.map(generations)).toEqual(['connected', [1, 2, 3]]);
    const batch = client.log[1] as WakeStreamBatch;
    expect(batch.endOffset).toBe(offsets[2]);
    expect(batch.items.map((item) => item.offset)).toEqual([offsets[2], offsets[2], offsets[2]]);

    expect(port.log.map(generations)).toEqual(['connected', [1], [2], [3]]);
    expect(port.log.slice(1).map((entry) => (entry as WakeStreamBatch).endOffset)).toEqual(offsets);
    client.interrupt();
    port.interrupt();
  });

  it('the client keeps reading live: a wake appended later arrives through its long-poll', async () => {
    const { sim, streams, readers } = setUp();
    const client = follow(readers.client, '-1');
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 5_000, maxSteps: 100 });
    const offset = streams.append(WAKE_STREAM, wake(1));
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 1_000 });
    await drain();
    const batches = client.log.filter((entry): entry is WakeStreamBatch => entry !== 'connected');
    expect(batches.filter((batch) => batch.items.length > 0).map((batch) => [generations(batch), batch.endOffset])).toEqual([[[1], offset]]);
    // Long-poll timeouts answer with no items and the same offset: the reader is caught up there.
    expect(batches.filter((batch) => batch.items.length === 0).every((batch) => batch.endOffset === offset || batch.endOffset < offset)).toBe(true);
    expect(client.ended.settled).toBe(false);
    client.interrupt();
  });

  it('an interrupt ends the client\'s session: the reader rejects with the reason and its held long-poll is released', async () => {
    const { sim, readers } = setUp();
    const client = follow(readers.client, '-1');
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 5_000, maxSteps: 100 });
    expect(sim.scheduler.pendingTasks().map((task) => task.label)).toContain(`long-poll timeout ${WAKE_STREAM}`);
    client.interrupt();
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 200_000, maxSteps: 1_000 });
    await drain();
    expect(client.ended.settled).toBe(true);
    expect(String(client.ended.error)).toBe('Error: stop reading');
    expect(sim.scheduler.pendingTasks()).toEqual([]);
  });

  it('from `now`, the client reports the tail with an empty first batch', async () => {
    const { sim, streams, readers } = setUp();
    const tail = [1, 2].map((generation) => streams.append(WAKE_STREAM, wake(generation)))[1];
    const client = follow(readers.client, 'now');
    await drain();
    await runLoop(sim.scheduler, { horizonMs: 1, maxSteps: 100 });
    await drain();
    expect(client.log[0]).toBe('connected');
    expect(client.log[1]).toEqual({ items: [], endOffset: tail });
    client.interrupt();
  });
});
