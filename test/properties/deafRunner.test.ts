import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';

const WAKE = 'runners/r1/wake';
/** Long-poll 20 s, deliveries instant: deaf after 30 s of backoff plus a long-poll. */
const world = (): TraceBuilder =>
  new TraceBuilder()
    .at(0, 'world', 'world-configured', { leaseTtlMs: 30_000, longPollTimeoutMs: 20_000, baseLatencyMs: 0, maxExtraDelayMs: 0 })
    .at(0, 'host#1', 'process-start')
    .at(1, 'agents-server', 'runner-registered', { peer: 'host#1', runner: 'r1', wakeStream: WAKE, resumeOffset: null });
const read = (trace: TraceBuilder, atMs: number): TraceBuilder =>
  trace.at(atMs, 'durable-streams', 'stream-read', { peer: 'host#1', stream: WAKE, offset: '-1', live: true, status: 204, next: '-1' });
const wakeAppended = (trace: TraceBuilder, atMs: number): TraceBuilder =>
  trace.at(atMs, 'durable-streams', 'wake-appended', { subscription: 'sub:e1', generation: 1, stream: 'entities/e1/inbox', wakeStream: WAKE, offset: '0000000000000000_0000000000000100' });

describe('deaf-runner', () => {
  it('flags a live host that stops reading its wake stream while a wake waits, past backoff and long-poll', () => {
    const trace = wakeAppended(read(world(), 10), 60_000);
    const violations = judgeBy('deaf-runner', historyOf(trace.events, { endMs: 200_000 }));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('host#1 has not read runners/r1/wake since 60000 ms while 1 wake(s) waited');
    expect(violations[0]!.atMs).toBe(110_000);
  });

  it('flags a live host that never registers while a wake waits', () => {
    const trace = wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000);
    expect(judgeBy('deaf-runner', historyOf(trace.events, { endMs: 100_000 }))[0]!.message).toContain('host#1 has not registered its runner');
  });

  it('is quiet while the host keeps reading, once the wake is claimed, and for a host that is stopping', () => {
    const reading = wakeAppended(world(), 60_000);
    for (let atMs = 20_000; atMs <= 200_000; atMs += 20_000) read(reading, atMs);
    expect(judgeBy('deaf-runner', historyOf(reading.events, { endMs: 200_000 }))).toEqual([]);

    const claimed = wakeAppended(read(world(), 10), 60_000).at(60_005, 'durable-streams', 'lease-granted', { subscription: 'sub:e1', generation: 1, holder: 'r1', leaseTtlMs: 30_000 });
    expect(judgeBy('deaf-runner', historyOf(claimed.events, { endMs: 200_000 }))).toEqual([]);

    const stopping = wakeAppended(read(world(), 10), 60_000).at(60_001, 'host#1', 'sigterm');
    expect(judgeBy('deaf-runner', historyOf(stopping.events, { endMs: 200_000 }))).toEqual([]);
  });

  it('counts a read the network dropped as an attempt: a runner retrying through a partition is not deaf', () => {
    const dropped = (trace: TraceBuilder, atMs: number, path = `/v1/stream/${WAKE}`): TraceBuilder =>
      trace.at(atMs, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'durable-streams', method: 'GET', path });
    const retrying = wakeAppended(read(world(), 10), 60_000);
    for (let atMs = 60_500; atMs <= 200_000; atMs += 30_000) dropped(retrying, atMs);
    expect(judgeBy('deaf-runner', historyOf(retrying.events, { endMs: 200_000 }))).toEqual([]);
    // Drops of other requests (a heartbeat, another stream) are no sign of reading the wake stream.
    const elsewhere = wakeAppended(read(world(), 10), 60_000);
    for (let atMs = 60_500; atMs <= 200_000; atMs += 30_000) dropped(elsewhere, atMs, '/v1/stream/shared/digest-log');
    expect(judgeBy('deaf-runner', historyOf(elsewhere.events, { endMs: 200_000 }))).toHaveLength(1);
  });

  it('counts a registration the network dropped, or the agents server refused while down, as an attempt', () => {
    const attempt = (trace: TraceBuilder, atMs: number, path = '/_electric/runners'): TraceBuilder =>
      atMs % 2 === 0
        ? trace.at(atMs, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path })
        : trace.at(atMs, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path, status: 503 });
    const registering = wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000);
    for (let atMs = 1_000; atMs <= 200_000; atMs += 1_001) attempt(registering, atMs);
    expect(judgeBy('deaf-runner', historyOf(registering.events, { endMs: 200_000 }))).toEqual([]);
    // A dropped heartbeat is no registration; and once registered, a registration is no read of the wake stream.
    const heartbeating = wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000);
    for (let atMs = 1_000; atMs <= 200_000; atMs += 1_001) attempt(heartbeating, atMs, '/_electric/runners/r1/heartbeat');
    expect(judgeBy('deaf-runner', historyOf(heartbeating.events, { endMs: 200_000 }))[0]!.message).toContain('has not registered its runner');
    const registered = wakeAppended(read(world(), 10), 60_000);
    for (let atMs = 60_500; atMs <= 200_000; atMs += 1_001) attempt(registered, atMs);
    expect(judgeBy('deaf-runner', historyOf(registered.events, { endMs: 200_000 }))).toHaveLength(1);
  });

  it('counts a registration the network hung (hung-request) as an attempt, with time to give it up', () => {
    const hung = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'network', 'fault', { kind: 'hung-request', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners' });
    // A hang every 31 s, each given up after 30 s and retried a second later: the agents server hears nothing at all.
    const registering = wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000);
    for (let atMs = 4; atMs <= 200_000; atMs += 31_000) hung(registering, atMs);
    expect(judgeBy('deaf-runner', historyOf(registering.events, { endMs: 200_000 }))).toEqual([]);
    // One hang, never retried: deaf once the hang could have been given up and the backoff spent.
    const gaveUp = hung(wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000), 4);
    expect(judgeBy('deaf-runner', historyOf(gaveUp.events, { endMs: 200_000 }))[0]!.message).toContain('has not registered its runner since 5000 ms');
  });

  it('treats a registration whose answer was lost as one the runner never learnt of, in either order', () => {
    const lostAnswer = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners' });
    const registered = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'agents-server', 'runner-registered', { peer: 'host#1', runner: 'r1', wakeStream: WAKE, resumeOffset: null });
    // The runner keeps registering, each answer lost: it never knew its wake stream, so it never had one to read.
    for (const faultFirst of [true, false]) {
      const registering = wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000);
      for (let atMs = 1_000; atMs <= 200_000; atMs += 20_000) {
        if (faultFirst) registered(lostAnswer(registering, atMs), atMs);
        else lostAnswer(registered(registering, atMs), atMs);
      }
      expect(judgeBy('deaf-runner', historyOf(registering.events, { endMs: 200_000 }))).toEqual([]);
    }
    // A registration it did hear of makes the wake stream its to read; a lost answer at another instant changes nothing.
    const heard = lostAnswer(registered(wakeAppended(new TraceBuilder().at(0, 'host#1', 'process-start'), 5_000), 1_000), 1_001);
    expect(judgeBy('deaf-runner', historyOf(heard.events, { endMs: 200_000 }))[0]!.message).toContain(`has not read ${WAKE}`);
  });

  it('allows exactly the backoff cap plus a long-poll', () => {
    const trace = wakeAppended(read(world(), 10), 60_000);
    expect(judgeBy('deaf-runner', historyOf(trace.events, { endMs: 110_000 }))).toEqual([]);
    expect(judgeBy('deaf-runner', historyOf(trace.events, { endMs: 110_001 }))).toHaveLength(1);
  });

  describe('several runners (daily-digest --runners): only a host\'s own runner\'s wakes count', () => {
    const R2_WAKE = 'runners/r2/wake';
    /** Two runners' hosts, each started as its runner; `r2` has an entity, so its wake stream is known. */
    const twoRunners = (): TraceBuilder =>
      new TraceBuilder()
        .at(0, 'world', 'world-configured', { leaseTtlMs: 30_000, longPollTimeoutMs: 20_000, baseLatencyMs: 0, maxExtraDelayMs: 0 })
        .at(0, 'agents-server', 'entity-created', { entity: 'e1', type: 'digest', subscription: 'sub:e1', runner: 'r1', streams: [], wakeStream: WAKE })
        .at(0, 'agents-server', 'entity-created', { entity: 'e2', type: 'digest', subscription: 'sub:e2', runner: 'r2', streams: [], wakeStream: R2_WAKE })
        .at(0, 'r1/host#1', 'process-start', { runner: 'r1' })
        .at(0, 'r2/host#1', 'process-start', { runner: 'r2' })
        .at(1, 'agents-server', 'runner-registered', { peer: 'r1/host#1', runner: 'r1', wakeStream: WAKE, resumeOffset: null })
        .at(1, 'agents-server', 'runner-registered', { peer: 'r2/host#1', runner: 'r2', wakeStream: R2_WAKE, resumeOffset: null });
    const readBy = (trace: TraceBuilder, peer: string, stream: string, atMs: number): TraceBuilder =>
      trace.at(atMs, 'durable-streams', 'stream-read', { peer, stream, offset: '-1', live: true, status: 204, next: '-1' });

    const r2WakeAppended = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'durable-streams', 'wake-appended', { subscription: 'sub:e2', generation: 1, stream: 'entities/e2/inbox', wakeStream: R2_WAKE, offset: '0000000000000000_0000000000000100' });
    /** r2's host reads once at 10 ms and never again; r1's keeps reading; at 60 s a wake of r1's (and of r2's) waits. */
    const r2Silent = (withOwnWake: boolean): TraceBuilder => {
      const trace = wakeAppended(readBy(twoRunners(), 'r2/host#1', R2_WAKE, 10), 60_000);
      if (withOwnWake) r2WakeAppended(trace, 60_000);
      for (let atMs = 80_000; atMs <= 200_000; atMs += 20_000) readBy(trace, 'r1/host#1', WAKE, atMs);
      return trace;
    };

    it('a host silent on its own wake stream while only another runner\'s wakes wait is not deaf; one whose own wakes wait is', () => {
      expect(judgeBy('deaf-runner', historyOf(r2Silent(false).events, { endMs: 200_000 }))).toEqual([]);
      const violations = judgeBy('deaf-runner', historyOf(r2Silent(true).events, { endMs: 200_000 }));
      expect(violations.map((violation) => violation.message.split(' since')[0])).toEqual([`r2/host#1 has not read ${R2_WAKE}`]);
    });

    it('before it registers, a host started as a runner answers for that runner\'s wakes only', () => {
      const unregistered = (): TraceBuilder =>
        new TraceBuilder()
          .at(0, 'agents-server', 'entity-created', { entity: 'e1', type: 'digest', subscription: 'sub:e1', runner: 'r1', streams: [], wakeStream: WAKE })
          .at(0, 'agents-server', 'entity-created', { entity: 'e2', type: 'digest', subscription: 'sub:e2', runner: 'r2', streams: [], wakeStream: R2_WAKE })
          .at(0, 'r2/host#1', 'process-start', { runner: 'r2' });
      expect(judgeBy('deaf-runner', historyOf(wakeAppended(unregistered(), 5_000).events, { endMs: 100_000 }))).toEqual([]);
      const ownWake = r2WakeAppended(unregistered(), 5_000);
      expect(judgeBy('deaf-runner', historyOf(ownWake.events, { endMs: 100_000 }))[0]!.message).toContain('r2/host#1 has not registered its runner');
    });
  });
});
