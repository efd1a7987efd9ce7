import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';
import type { RunHistory } from '../../properties/RunHistory.ts';

const WAKE = 'runners/r1/wake';
/** Deliveries take 1 to 11 ms: the servers allow 11 ms of slack. */
const world = (): TraceBuilder => new TraceBuilder().at(0, 'world', 'world-configured', { leaseTtlMs: 30_000, longPollTimeoutMs: 20_000, baseLatencyMs: 1, maxExtraDelayMs: 10 });
const heartbeat = (trace: TraceBuilder, atMs: number, peer = 'host#1'): TraceBuilder =>
  trace.at(atMs, 'agents-server', 'heartbeat-received', { peer, runner: 'r1', offset: '-1', status: 204 });
const read = (trace: TraceBuilder, atMs: number, status: number, extra: Record<string, number | boolean> = {}): TraceBuilder =>
  trace.at(atMs, 'durable-streams', 'stream-read', { peer: 'host#1', stream: WAKE, offset: '-1', live: false, status, next: null, ...extra });
const protocolOf = (trace: TraceBuilder, extra: Partial<RunHistory> = {}) => judgeBy('protocol', historyOf(trace.events, extra));

describe('protocol: heartbeat rate', () => {
  it('flags two heartbeats of one runner process closer than 2 s, less a delivery of slack', () => {
    const trace = heartbeat(heartbeat(world(), 1_000), 2_988);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([[trace.last, expect.stringContaining('heartbeat rate: host#1 sent two heartbeats of r1 1988 ms apart')]]);
  });

  it('counts heartbeats turned away at the door, and is quiet at 2 s less the slack, and across processes', () => {
    const refused = world().at(1_000, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/runners/r1/heartbeat', status: 503 });
    expect(protocolOf(heartbeat(refused, 1_500))).toHaveLength(1);
    expect(protocolOf(heartbeat(heartbeat(world(), 1_000), 2_989))).toEqual([]);
    expect(protocolOf(heartbeat(heartbeat(world(), 1_000), 1_500, 'host#2'))).toEqual([]);
  });
});

describe('protocol: reconnect backoff', () => {
  it('flags a read right after a failed one, and a backoff that shrinks while reads keep failing', () => {
    expect(protocolOf(read(read(world(), 1_000, 500), 1_200, 200))[0]!.message).toContain('read runners/r1/wake again 200 ms after a failed read (at least 989 ms)');
    const shrinking = read(read(read(world(), 1_000, 500), 5_000, 500), 6_500, 200);
    expect(protocolOf(shrinking)[0]!.message).toContain('again 1500 ms after a failed read (at least 3978 ms)');
  });

  it('counts a dropped connection as a failure, judges a held read from its arrival, and resets on success', () => {
    expect(protocolOf(read(read(world(), 1_000, 0, { aborted: true }), 1_100, 200))).toHaveLength(1);
    // Answered at 21 s after being held 20 s: it arrived at 1.5 s, 500 ms after the failure.
    expect(protocolOf(read(read(world(), 1_000, 500), 21_000, 204, { heldMs: 19_500 }))).toHaveLength(1);
    const recovered = read(read(read(read(world(), 1_000, 500), 5_000, 200), 6_000, 500), 7_100, 200);
    expect(protocolOf(recovered)).toEqual([]);
  });

  it('takes no wait across an attempt the service never saw (a hung connect) as a backoff step', () => {
    // The reader waits 1 s, its connect hangs 4.3 s until it gives up, waits 2 s, fails, and waits 4 s: the service saw
    // failures at 1 s and 8.3 s only, and a gap of 7.3 s that was no single wait.
    const hung = (trace: TraceBuilder): TraceBuilder => trace.at(2_000, 'network', 'fault', { kind: 'hung-connect', peer: 'host#1', service: 'durable-streams', method: 'GET', path: `/v1/stream/${WAKE}` });
    expect(protocolOf(read(read(hung(read(world(), 1_000, 0, { aborted: true })), 8_300, 500), 12_300, 200))).toEqual([]);
    // Without the hung connect on record, the same reads would be a backoff that shrank from 7.3 s to 4 s.
    expect(protocolOf(read(read(read(world(), 1_000, 0, { aborted: true }), 8_300, 500), 12_300, 200))[0]!.message).toContain('again 4000 ms after a failed read');
  });
});

describe('protocol: the reconnect backoff resets on success', () => {
  /** A success at 1 s, then a 503 at 2 s: the next read is due within 1 s, two deliveries of 11 ms and 100 ms. */
  const failedAfterSuccess = (): TraceBuilder => read(read(world(), 1_000, 200), 2_000, 503);

  it('flags a reconnect later than the first backoff after a failure that followed a success', () => {
    const trace = read(failedAfterSuccess(), 4_000, 200);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, 'reconnect reset: host#1 read runners/r1/wake again 2000 ms after a failed read that followed a successful one (within 1122 ms: the backoff starts again at 1000 ms after a success)'],
    ]);
  });

  it('is quiet within the allowance, after failures in a row, after a 429, and with no next read at all', () => {
    expect(protocolOf(read(failedAfterSuccess(), 3_122, 200))).toEqual([]);
    // A second failure in a row may wait 2 s: only the first after a success is judged.
    expect(protocolOf(read(read(failedAfterSuccess(), 3_000, 503), 5_000, 200))).toEqual([]);
    expect(protocolOf(read(read(read(world(), 1_000, 200), 2_000, 429), 4_000, 200))).toEqual([]);
    expect(protocolOf(failedAfterSuccess())).toEqual([]);
  });

  it('starts nothing from a success its reader never saw, or across a failed attempt the service never saw', () => {
    const path = `/v1/stream/${WAKE}`;
    const stale = read(world(), 500, 200).at(600, 'network', 'fault', { kind: 'stale-connection', peer: 'host#1', service: 'durable-streams', method: 'GET', path });
    expect(protocolOf(read(read(read(stale, 1_000, 204, { heldMs: 400 }), 2_000, 503), 4_000, 200))).toEqual([]);
    const dropped = read(world(), 1_000, 200).at(1_500, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'durable-streams', method: 'GET', path });
    expect(protocolOf(read(read(dropped, 2_500, 503), 4_500, 200))).toEqual([]);
  });

  it('starts nothing from a success whose answer came after its reader had closed the read (the network saw it unclaimed)', () => {
    const path = `/v1/stream/${WAKE}`;
    const unclaimed = (trace: TraceBuilder, atMs: number, answeredAtMs: number, status: number): TraceBuilder =>
      trace.at(atMs, 'network', 'answer-unclaimed', { peer: 'host#1', service: 'durable-streams', method: 'GET', path, status, answeredAtMs });
    // Answered 200 at 1 s, closed by its reader before the answer came: the failure at 2 s follows no success it saw.
    expect(protocolOf(read(read(unclaimed(read(world(), 1_000, 200), 1_003, 1_000, 200), 2_000, 503), 6_000, 200))).toEqual([]);
    // The same when the unclaimed answer arrives after the failure was observed, and for an unclaimed failure.
    expect(protocolOf(read(unclaimed(read(read(world(), 1_000, 200), 1_002, 503), 1_004, 1_000, 200), 6_000, 200))).toEqual([]);
    expect(protocolOf(read(unclaimed(read(read(world(), 1_000, 200), 2_000, 503), 2_003, 2_000, 503), 6_000, 200))).toEqual([]);
    // An unclaimed answer of an earlier read leaves the judgement of later ones alone.
    const earlier = unclaimed(read(read(world(), 500, 200), 1_000, 200), 1_002, 500, 200);
    expect(protocolOf(read(read(earlier, 2_000, 503), 4_000, 200))[0]!.message).toContain('reconnect reset: host#1 read runners/r1/wake again 2000 ms');
  });

  it('counts a read turned away at the door while the service was down as a read answered 503', () => {
    const refused = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'durable-streams', 'request-refused', { peer: 'host#1', method: 'GET', path: `/v1/stream/${WAKE}`, status: 503 });
    expect(protocolOf(read(refused(read(world(), 1_000, 200), 2_000), 4_000, 200))[0]!.message).toContain('reconnect reset: host#1 read runners/r1/wake again 2000 ms');
    // Turned away twice in a row after the success: the second wait may be 2 s.
    expect(protocolOf(read(refused(refused(read(world(), 1_000, 200), 2_000), 3_000), 5_000, 200))).toEqual([]);
  });

  it('judges no process busy with a claim or a handler before it reconnects, and none stopping', () => {
    const claimed = failedAfterSuccess().at(2_100, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId: 'w1', generation: 1, entity: 'e1' });
    expect(protocolOf(read(claimed, 9_000, 200))).toEqual([]);
    const handling = read(read(world(), 1_000, 200).at(1_500, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [] }), 2_000, 503);
    expect(protocolOf(read(handling.at(5_000, 'host#1', 'handler-end', { entity: 'e1', wakeId: 'w1', outcome: 'returned' }), 6_000, 200))).toEqual([]);
    // (A read after SIGTERM is another rule's.)
    const stopping = protocolOf(read(failedAfterSuccess().at(2_500, 'host#1', 'sigterm'), 9_000, 200));
    expect(stopping.map((violation) => violation.message.split(':')[0])).toEqual(['read after stop']);
  });
});

describe('protocol: a held read of the wake stream is given up only for a reason', () => {
  /** The service answered host#1 at 1 s; its next read, held since then, is aborted by its reader at 11 s. */
  const abandonedAt = (trace: TraceBuilder, atMs = 11_000): TraceBuilder => read(trace, atMs, 0, { aborted: true, heldMs: atMs - 1_000 });
  const answered = (): TraceBuilder => read(world(), 1_000, 200);
  const heartbeatFailed = (trace: TraceBuilder, atMs: number): TraceBuilder =>
    trace
      .at(atMs, 'agents-server', 'fault', { kind: 'heartbeat-failure', peer: 'host#1' })
      .at(atMs, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/runners/r1/heartbeat', status: 503 });
  const abandonedOf = (trace: TraceBuilder): string[] => protocolOf(trace).map((violation) => violation.message).filter((message) => message.startsWith('read abandoned'));

  it('flags a read its reader gave up 10 s after the last answer, with no stop and no failed heartbeats', () => {
    expect(abandonedOf(abandonedAt(answered()))).toEqual([
      'read abandoned: host#1 gave up its read of runners/r1/wake held 10000 ms, 10000 ms after the service last answered it, with no stop and no two heartbeat failures in a row (a read is given up after 30000 ms without an answer)',
    ]);
  });

  it('is quiet for a read given up 30 s after the last answer, one during a stop, and one the world cut', () => {
    expect(abandonedOf(abandonedAt(answered(), 30_990))).toEqual([]);
    expect(abandonedOf(abandonedAt(answered().at(5_000, 'host#1', 'sigterm')))).toEqual([]);
    expect(abandonedOf(abandonedAt(answered().at(11_000, 'faults', 'fault', { kind: 'ds-restart', downtimeMs: 1_000 })))).toEqual([]);
    expect(abandonedOf(abandonedAt(answered().at(10_995, 'faults', 'fault', { kind: 'network-outage', spanMs: 5_000 })))).toEqual([]);
  });

  it('excuses two failed heartbeats in a row, counting a lost answer as a failure and one heartbeat once', () => {
    expect(abandonedOf(abandonedAt(heartbeatFailed(heartbeatFailed(answered(), 2_000), 5_000)))).toEqual([]);
    const lostAnswer = heartbeat(heartbeatFailed(answered(), 2_000).at(5_000, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners/r1/heartbeat' }), 5_000);
    expect(abandonedOf(abandonedAt(lostAnswer))).toEqual([]);
    // One failure observed twice at one instant, and failures with a success between them, are not two in a row.
    expect(abandonedOf(abandonedAt(heartbeatFailed(answered(), 2_000)))).toHaveLength(1);
    expect(abandonedOf(abandonedAt(heartbeatFailed(heartbeat(heartbeatFailed(answered(), 2_000), 4_000), 6_000)))).toHaveLength(1);
  });

  it('judges no process after a heartbeat the network hung, and measures from an answer the reader saw', () => {
    const hung = answered().at(2_000, 'network', 'fault', { kind: 'hung-request', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners/r1/heartbeat' });
    expect(abandonedOf(abandonedAt(hung))).toEqual([]);
    // The answer at 1 s was lost on a half-open socket: the reader last saw one 31 s before it gave up.
    const stale = read(world(), -20_000, 204).at(0, 'network', 'fault', { kind: 'stale-connection', peer: 'host#1', service: 'durable-streams', method: 'GET', path: `/v1/stream/${WAKE}` });
    expect(abandonedOf(abandonedAt(read(stale, 1_000, 204, { heldMs: 1_000 })))).toEqual([]);
  });
});

describe('protocol: no claim after a graceful stop began', () => {
  const claim = (trace: TraceBuilder, atMs: number): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 204 });
  it('flags a claim that reaches the server after SIGTERM and one delivery', () => {
    const trace = claim(world().at(1_000, 'host#1', 'sigterm'), 1_012);
    expect(protocolOf(trace)[0]!.message).toContain('claim after stop: host#1 claimed sub:e1 12 ms after its SIGTERM');
  });
  it('allows a claim sent just before SIGTERM, still on the wire', () => {
    expect(protocolOf(claim(world().at(1_000, 'host#1', 'sigterm'), 1_011))).toEqual([]);
  });
  const sentClaim = (trace: TraceBuilder, sentAtMs: number, atMs: number): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, sentAtMs });
  it('judges a claim the network saw leave by when it was sent: one sent after SIGTERM, however soon it arrives', () => {
    const trace = sentClaim(world().at(1_000, 'host#1', 'sigterm'), 1_003, 1_005);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, 'claim after stop: host#1 claimed sub:e1 sent 3 ms after its SIGTERM'],
    ]);
    const refused = world()
      .at(1_000, 'host#1', 'sigterm')
      .at(1_004, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/runners/r1/claim', status: 503, sentAtMs: 1_001 });
    expect(protocolOf(refused).map((violation) => violation.message)).toEqual(['claim after stop: host#1 claimed /_electric/runners/r1/claim sent 1 ms after its SIGTERM']);
  });
  it('allows a claim sent before SIGTERM or in its millisecond, however late it arrives', () => {
    expect(protocolOf(sentClaim(world().at(1_000, 'host#1', 'sigterm'), 990, 1_040))).toEqual([]);
    expect(protocolOf(sentClaim(world().at(1_000, 'host#1', 'sigterm'), 1_000, 1_200))).toEqual([]);
  });
});

describe('protocol: failed claims back off', () => {
  const entity = (trace: TraceBuilder, id: string): TraceBuilder =>
    trace.at(0, 'agents-server', 'entity-created', { entity: id, type: 'digest', subscription: `sub:${id}`, runner: 'r1', streams: [], wakeStream: WAKE });
  const refused = (trace: TraceBuilder, atMs: number, peer = 'host#1'): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'request-refused', { peer, method: 'POST', path: '/_electric/runners/r1/claim', status: 503 });
  /** `count` failed claims `everyMs` apart from 1 s on. */
  const failing = (trace: TraceBuilder, count: number, everyMs: number, peer = 'host#1'): TraceBuilder => {
    for (let index = 0; index < count; index += 1) refused(trace, 1_000 + index * everyMs, peer);
    return trace;
  };
  it('flags more than ten failed claims a second, two seconds in a row, for a runner with one entity: a retry at once', () => {
    // 80 ms apart: the 24th (at 2,840 ms) has 13 in the second before it and 11 in the second before that.
    const trace = failing(entity(world(), 'e1'), 24, 80);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, 'claim retries: host#1 sent 11 and then 13 failed claims for r1 in two seconds in a row (at most 10 a second for its 1 entity: a retry that does not back off)'],
    ]);
  });
  it('counts claims answered 5xx, allows ten a second per entity, and judges each process apart', () => {
    const answered = entity(world(), 'e1');
    for (let index = 0; index < 24; index += 1) answered.at(1_000 + index * 80, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 503 });
    expect(protocolOf(answered)).toHaveLength(1);
    expect(protocolOf(failing(entity(world(), 'e1'), 20, 100))).toEqual([]);
    expect(protocolOf(failing(entity(entity(world(), 'e1'), 'e2'), 40, 50))).toEqual([]);
    expect(protocolOf(failing(failing(entity(world(), 'e1'), 12, 80, 'host#1'), 12, 80, 'host#2'))).toEqual([]);
  });
  it('is quiet for one burst (a backlog of wake events claimed at once), a backoff that doubles from 10 ms, and answers that are no failures', () => {
    expect(protocolOf(failing(entity(world(), 'e1'), 40, 1))).toEqual([]);
    const doubling = entity(world(), 'e1');
    for (let waitMs = 10, atMs = 1_000; atMs < 6_000; atMs += waitMs, waitMs *= 2) refused(doubling, atMs);
    expect(protocolOf(doubling)).toEqual([]);
    const skipped = entity(world(), 'e1');
    for (let index = 0; index < 40; index += 1) skipped.at(1_000 + index * 50, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 409 });
    expect(protocolOf(skipped)).toEqual([]);
  });
});

describe('protocol: a refused renewal is final', () => {
  const renew = (trace: TraceBuilder, atMs: number, status: number, peer = 'host#1'): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'renew-received', { peer, wakeId: 'w1', status });
  it('flags a renewal of a wake whose renewal the agents server refused 401 or 409 before', () => {
    for (const status of [401, 409]) {
      const trace = renew(renew(world(), 10_000, status), 20_000, status);
      expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
        [trace.last, 'renewal after refusal: host#1 renewed w1 10000 ms after the agents server refused its renewal for good'],
      ]);
    }
  });
  it('allows renewals after a 503, after a refusal whose answer was lost, one sent before the refusal arrived, and another process', () => {
    expect(protocolOf(renew(renew(world(), 10_000, 503), 20_000, 200))).toEqual([]);
    const lost = world().at(10_000, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/wakes/w1/renew' });
    expect(protocolOf(renew(renew(lost, 10_000, 401), 20_000, 401))).toEqual([]);
    expect(protocolOf(renew(renew(world(), 10_000, 401), 10_022, 401))).toEqual([]);
    expect(protocolOf(renew(renew(world(), 10_000, 401), 20_000, 401, 'host#2'))).toEqual([]);
  });
});

describe('protocol: no wake-stream read after a graceful stop began', () => {
  it('flags a read that arrives after SIGTERM and one delivery', () => {
    const trace = read(world().at(1_000, 'host#1', 'sigterm'), 1_040, 200);
    expect(protocolOf(trace)[0]!.message).toBe('read after stop: host#1 read runners/r1/wake 40 ms after its SIGTERM');
  });
  it('allows a long-poll that arrived before SIGTERM and is answered after it, and a read still on the wire', () => {
    expect(protocolOf(read(world().at(1_000, 'host#1', 'sigterm'), 5_000, 204, { heldMs: 4_500 }))).toEqual([]);
    expect(protocolOf(read(world().at(1_000, 'host#1', 'sigterm'), 1_011, 200))).toEqual([]);
  });
  it("allows a read queued behind the process's other messages on an in-order channel, 1 ms more for each", () => {
    const append = (trace: TraceBuilder, atMs: number): TraceBuilder => trace.at(atMs, 'durable-streams', 'stream-append', { peer: 'host#1', stream: 'shared/db', status: 200, offset: '1' });
    const queued = (readAtMs: number) => read(append(append(world().at(1_000, 'host#1', 'sigterm'), 1_011), 1_012), readAtMs, 200);
    expect(protocolOf(queued(1_013))).toEqual([]);
    expect(protocolOf(queued(1_014))[0]!.message).toBe('read after stop: host#1 read runners/r1/wake 14 ms after its SIGTERM');
  });
});

describe('protocol: acked offsets never move backwards', () => {
  const O1 = '0000000000000000_0000000000000100';
  const O2 = '0000000000000000_0000000000000200';
  const claimed = (trace: TraceBuilder, wakeId: string): TraceBuilder =>
    trace.at(10, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId, generation: 1, entity: 'e1' });
  const applied = (): TraceBuilder => world().at(5, 'durable-streams', 'acks-applied', { subscription: 'sub:e1', generation: 1, acks: [{ stream: 'inbox', offset: O2 }] });
  it('flags a done that acks a stream below the cursor the service holds', () => {
    const trace = claimed(applied(), 'w2').at(20, 'agents-server', 'done-received', { peer: 'host#1', wakeId: 'w2', generation: 2, acks: [{ stream: 'inbox', offset: O1 }], status: 409, code: 'INVALID_OFFSET' });
    expect(protocolOf(trace)[0]!.message).toContain(`ack regression: host#1 acked inbox back to ${O1} (cursor ${O2})`);
  });
  it('does not judge a done refused for its token before its acks were looked at', () => {
    const trace = claimed(applied(), 'w2').at(20, 'agents-server', 'done-received', { peer: 'host#1', wakeId: 'w2', generation: 2, acks: [{ stream: 'inbox', offset: O1 }], status: 409, code: 'FENCED' });
    expect(protocolOf(trace)).toEqual([]);
  });
});

describe('protocol: a handler is given no input its subscription had consumed', () => {
  const O1 = '0000000000000000_0000000000000100';
  const O2 = '0000000000000000_0000000000000200';
  const stored = (trace: TraceBuilder, atMs: number, offset: string, text: string): TraceBuilder =>
    trace.at(atMs, 'durable-streams', 'linked-append', { subscriptions: ['sub:e1'], stream: 'inbox', offset, item: { text } });
  const acked = (trace: TraceBuilder, atMs: number, offset: string): TraceBuilder =>
    trace.at(atMs, 'durable-streams', 'acks-applied', { subscription: 'sub:e1', generation: 1, acks: [{ stream: 'inbox', offset }] });
  const claimed = (trace: TraceBuilder, atMs: number, wakeId: string): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId, generation: 2, entity: 'e1' });
  const handed = (trace: TraceBuilder, atMs: number, wakeId: string, texts: readonly string[]): TraceBuilder =>
    trace.at(atMs, 'host#1', 'handler-start', { entity: 'e1', wakeId, inputs: texts.map((text) => ({ stream: 'inbox', offset: 'whatever', item: { text } })) });
  /** Two messages stored, the first handled and acked. */
  const firstConsumed = (): TraceBuilder => acked(stored(stored(world(), 100, O1, 'a'), 200, O2, 'b'), 300, O1);

  it('flags a handler given an item at or before the cursor its claim was granted with', () => {
    const trace = handed(claimed(firstConsumed(), 400, 'w2'), 410, 'w2', ['a', 'b']);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, `input replay: the handler of w2 (e1) was given 1 item(s) its subscription had already consumed, the first at ${O1} of inbox, with the cursor at ${O1} when the claim was granted`],
    ]);
  });

  it('is quiet for items after the cursor, for a wake claimed before the ack, and for items the service never stored', () => {
    expect(protocolOf(handed(claimed(firstConsumed(), 400, 'w2'), 410, 'w2', ['b']))).toEqual([]);
    // A wake claimed before the ack was applied was granted the older cursor: the item was still its work.
    const claimedBefore = handed(acked(claimed(stored(stored(world(), 100, O1, 'a'), 200, O2, 'b'), 250, 'w1'), 300, O1), 310, 'w1', ['a', 'b']);
    expect(protocolOf(claimedBefore)).toEqual([]);
    expect(protocolOf(handed(claimed(firstConsumed(), 400, 'w2'), 410, 'w2', ['foreign']))).toEqual([]);
  });

  it('judges an item stored again by its newest copy, and no wake that no claim granted', () => {
    const storedAgain = stored(firstConsumed(), 350, '0000000000000000_0000000000000300', 'a');
    expect(protocolOf(handed(claimed(storedAgain, 400, 'w2'), 410, 'w2', ['a']))).toEqual([]);
    expect(protocolOf(handed(firstConsumed(), 410, 'w9', ['a']))).toEqual([]);
  });

  it('reads no annotation: a runtime that says it was granted a claim does not make its wake judged', () => {
    const trace = handed(firstConsumed().note(400, 'host#1', 'claim-answered', { subscription: 'sub:e1', status: 200, wakeId: 'w2' }), 410, 'w2', ['a']);
    expect(protocolOf(trace)).toEqual([]);
  });
});

describe('protocol: a graceful stop drains the handlers it ran', () => {
  const handlerStart = (trace: TraceBuilder, atMs: number, wakeId = 'w1', peer = 'host#1'): TraceBuilder =>
    trace.at(atMs, peer, 'handler-start', { entity: 'e1', wakeId, inputs: [] });
  const handlerEnd = (trace: TraceBuilder, atMs: number, wakeId = 'w1', peer = 'host#1'): TraceBuilder =>
    trace.at(atMs, peer, 'handler-end', { entity: 'e1', wakeId, outcome: 'returned' });
  const exit = (trace: TraceBuilder, atMs: number, reason: 'graceful' | 'crash', peer = 'host#1'): TraceBuilder => trace.at(atMs, peer, 'process-exit', { reason });
  const stopping = (): TraceBuilder => handlerStart(world(), 900).at(1_000, 'host#1', 'sigterm');

  it('flags a host whose stop returns at once while its handler runs', () => {
    const trace = exit(stopping(), 1_020, 'graceful');
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, 'stop drain: host#1 ended its graceful stop 20 ms after its SIGTERM while the handler of e1 (wake w1, started at 900 ms) still ran (a drain gives a running handler at least 10000 ms)'],
    ]);
  });

  it('flags a handler that started after SIGTERM too, judged from the SIGTERM', () => {
    expect(protocolOf(exit(handlerStart(world().at(1_000, 'host#1', 'sigterm'), 1_500), 9_999, 'graceful'))).toHaveLength(1);
  });

  it('is quiet for a normal drain: every handler ended before the process did', () => {
    expect(protocolOf(exit(handlerEnd(stopping(), 3_000), 3_050, 'graceful'))).toEqual([]);
  });

  it('is quiet for a stalled handler given up on after the allowance, however late after SIGTERM it started', () => {
    expect(protocolOf(exit(stopping(), 11_000, 'graceful'))).toEqual([]);
    expect(protocolOf(exit(handlerStart(world().at(1_000, 'host#1', 'sigterm'), 9_000), 11_000, 'graceful'))).toEqual([]);
  });

  it('judges no crash, no end by the grace period, no process without SIGTERM, and each process apart', () => {
    expect(protocolOf(exit(stopping(), 1_020, 'crash'))).toEqual([]);
    expect(protocolOf(exit(handlerStart(world(), 900), 1_020, 'graceful'))).toEqual([]);
    // host#1's own handler ended; the one still open runs in host#2, which was not stopped.
    const otherProcess = exit(handlerEnd(handlerStart(stopping(), 950, 'w2', 'host#2'), 1_010), 1_020, 'graceful');
    expect(protocolOf(otherProcess)).toEqual([]);
  });

  it('reads no annotation: a runtime saying its handler ended does not end the probe span', () => {
    const trace = exit(stopping().note(1_010, 'host#1', 'handler-end', { entity: 'e1', wakeId: 'w1', outcome: 'returned' }), 1_020, 'graceful');
    expect(protocolOf(trace)).toHaveLength(1);
  });
});

describe('protocol: a registered runner heartbeats at least every 30 s', () => {
  const registered = (atMs = 10, peer = 'host#1'): TraceBuilder => world().at(atMs, 'agents-server', 'runner-registered', { peer, runner: 'r1', wakeStream: WAKE, resumeOffset: null });
  /** 30 s, the 2 s spacing, five deliveries of 11 ms and a second: 33,055 ms of silence at most. */
  const SILENCE_MAX_MS = 33_055;

  it('flags a runner process silent for longer than the interval and its allowances, at the first observation past it', () => {
    const trace = heartbeat(registered(), 10 + SILENCE_MAX_MS + 1);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, `heartbeat interval: host#1 sent no heartbeat of r1 for more than ${SILENCE_MAX_MS} ms after 10 ms (one at least every 30000 ms while it runs)`],
    ]);
  });

  it('flags a silence that lasts to the end of the run, at its end', () => {
    const [violation] = protocolOf(heartbeat(registered(), 30_000));
    expect(violation).toMatchObject({ atMs: 600_000, message: expect.stringContaining('heartbeat interval: host#1 sent no heartbeat of r1 for more than 33055 ms after 30000 ms') });
    expect(violation!.eventIndex).toBeUndefined();
  });

  it('is quiet at the allowance, and counts heartbeats refused, failed and dropped on the wire as sent', () => {
    let trace = registered();
    for (let atMs = 10 + SILENCE_MAX_MS; atMs < 600_000; atMs += SILENCE_MAX_MS) trace = heartbeat(trace, atMs);
    expect(protocolOf(trace.at(599_999, 'world', 'tick'))).toEqual([]);
    const sentAnyway = registered()
      .at(30_000, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/runners/r1/heartbeat', status: 503 })
      .at(60_000, 'agents-server', 'fault', { kind: 'heartbeat-failure', peer: 'host#1' })
      .at(90_000, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners/r1/heartbeat' });
    expect(protocolOf(heartbeat(sentAnyway, 120_000), { endMs: 150_000 })).toEqual([]);
  });

  it('judges from registration to SIGTERM or exit, each runner process apart, and no process after a hung heartbeat', () => {
    expect(protocolOf(registered().at(30_000, 'host#1', 'sigterm').at(100_000, 'host#1', 'process-exit', { reason: 'graceful' }))).toEqual([]);
    expect(protocolOf(registered().at(20_000, 'host#1', 'process-exit', { reason: 'crash' }))).toEqual([]);
    // host#2 heartbeats; host#1, registered too, never does.
    const twoProcesses = heartbeat(registered(10, 'host#2').at(20, 'agents-server', 'runner-registered', { peer: 'host#1', runner: 'r1', wakeStream: WAKE, resumeOffset: null }), 30_000, 'host#2');
    expect(protocolOf(twoProcesses, { endMs: 40_000 }).map((violation) => violation.message)).toEqual([expect.stringContaining('host#1 sent no heartbeat of r1')]);
    const hung = registered().at(30_000, 'network', 'fault', { kind: 'hung-request', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners/r1/heartbeat' });
    expect(protocolOf(hung)).toEqual([]);
    expect(protocolOf(world(), { endMs: 600_000 })).toEqual([]);
  });

  it('does not judge a registration whose answer was lost, in either order: the runner never learnt of it', () => {
    const lostAt = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners' });
    const registeredAt = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs, 'agents-server', 'runner-registered', { peer: 'host#1', runner: 'r1', wakeStream: WAKE, resumeOffset: null });
    expect(protocolOf(lostAt(registeredAt(world(), 10), 10))).toEqual([]);
    expect(protocolOf(registeredAt(lostAt(world(), 10), 10))).toEqual([]);
    // It registers again at 50 s and learns of it: judged from there.
    expect(protocolOf(registeredAt(lostAt(registeredAt(world(), 10), 10), 50_000), { endMs: 90_000 })).toHaveLength(1);
  });

  it('reads no annotation: a runtime saying it sent a heartbeat is not one', () => {
    expect(protocolOf(registered().note(30_000, 'host#1', 'heartbeat', { offset: '-1', reason: 'interval', ok: true }), { endMs: 40_000 })).toHaveLength(1);
  });
});

describe('protocol: every wake a handler ran is acked as done', () => {
  const claimed = (trace: TraceBuilder, atMs: number, wakeId = 'w1', generation = 1): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId, generation, entity: 'e1' });
  const ended = (trace: TraceBuilder, atMs: number, wakeId = 'w1', outcome = 'threw'): TraceBuilder =>
    trace.at(atMs, 'host#1', 'handler-end', { entity: 'e1', wakeId, outcome });
  const done = (trace: TraceBuilder, atMs: number, wakeId = 'w1', status = 200): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'done-received', { peer: 'host#1', wakeId, generation: 1, acks: [], status });
  const alive = { endState: { liveHosts: ['host#1'], activeClaims: [] } };
  const failedWake = (): TraceBuilder => ended(claimed(world(), 1_000), 2_000);

  it('flags a handler that ended with no done of its wake from its process by the end, which it lived to', () => {
    expect(protocolOf(failedWake(), alive).map((violation) => [violation.atMs, violation.message])).toEqual([
      [600_000, 'wake left undone: the handler of wake w1 ended in host#1 at 2000 ms, and no done of it came from host#1 after that by the end (600000 ms), which it lived to'],
    ]);
  });

  it('says so when the only done of the wake came while its handler still ran (an ack before the work)', () => {
    const early = ended(done(claimed(world(), 1_000), 1_500), 2_000);
    expect(protocolOf(early, alive).map((violation) => violation.message)).toEqual([expect.stringMatching(/which it lived to \(a done of it came at 1500 ms, before the handler ended\)$/)]);
  });

  it('counts a done whatever its answer, and one turned away or dropped on the wire', () => {
    expect(protocolOf(done(failedWake(), 2_050, 'w1', 409), alive)).toEqual([]);
    const refused = failedWake().at(2_050, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/wakes/w1/done', status: 503 });
    expect(protocolOf(refused, alive)).toEqual([]);
    const dropped = failedWake().at(2_050, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/wakes/w1/done' });
    expect(protocolOf(dropped, alive)).toEqual([]);
    expect(protocolOf(done(failedWake(), 2_050, 'w2'), alive)).toHaveLength(1);
  });

  it('judges no process that died or was stopped, none with a hung request, no run cut short, and no handler that ended in the last minute', () => {
    expect(protocolOf(failedWake())).toEqual([]);
    expect(protocolOf(failedWake().at(3_000, 'host#1', 'sigterm'), alive)).toEqual([]);
    const hung = failedWake().at(2_010, 'network', 'fault', { kind: 'hung-request', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/entities/e1/manifest' });
    expect(protocolOf(hung, alive)).toEqual([]);
    expect(protocolOf(failedWake(), { ...alive, endedBy: 'step-budget' })).toEqual([]);
    expect(protocolOf(failedWake(), { ...alive, endMs: 61_999 })).toEqual([]);
    expect(protocolOf(failedWake(), { ...alive, endMs: 62_000 })).toHaveLength(1);
  });

  it('owes no done for a wake whose claim the servers took back before its handler ended, but does after', () => {
    const expired = (trace: TraceBuilder, atMs: number): TraceBuilder => trace.at(atMs, 'durable-streams', 'lease-ended', { subscription: 'sub:e1', generation: 1, reason: 'expired' });
    expect(protocolOf(ended(expired(claimed(world(), 1_000), 1_500), 2_000), alive)).toEqual([]);
    const renewalRefused = claimed(world(), 1_000).at(1_500, 'agents-server', 'renew-received', { peer: 'host#1', wakeId: 'w1', status: 401 });
    expect(protocolOf(ended(renewalRefused, 2_000), alive)).toEqual([]);
    expect(protocolOf(expired(failedWake(), 31_000), alive)).toHaveLength(1);
  });

  it('reads no annotation: a runtime saying it acked the wake did not send a done', () => {
    expect(protocolOf(failedWake().note(2_050, 'host#1', 'wake-acked', { entity: 'e1', wakeId: 'w1', outcome: 'failed' }), alive)).toHaveLength(1);
  });
});

describe('protocol: a wake whose handler returned commits its manifest rows before its done', () => {
  const MANIFEST = '/_electric/entities/e1/manifest';
  const manifestRead = (trace: TraceBuilder, atMs: number, sharedIds: string[] = []): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'manifest-read', { peer: 'host#1', entity: 'e1', sharedIds });
  const observed = (trace: TraceBuilder, atMs: number, sharedId = 'log'): TraceBuilder =>
    trace.at(atMs, 'host#1', 'observe-resolved', { entity: 'e1', sharedId, wakeId: 'w1', wired: true });
  const ended = (trace: TraceBuilder, atMs: number, outcome = 'returned'): TraceBuilder =>
    trace.at(atMs, 'host#1', 'handler-end', { entity: 'e1', wakeId: 'w1', outcome });
  const stored = (trace: TraceBuilder, atMs: number, status = 204, sharedIds = ['log']): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'manifest-stored', { peer: 'host#1', entity: 'e1', sharedIds: status === 204 ? sharedIds : [], status });
  const done = (trace: TraceBuilder, atMs: number, acks = [{ stream: 'cron/daily', offset: '0_1' }]): TraceBuilder =>
    trace.at(atMs, 'agents-server', 'done-received', { peer: 'host#1', wakeId: 'w1', generation: 1, acks, status: 200 });
  /** A first wake that observed `log` (not in the manifest it read) and returned. */
  const returned = (): TraceBuilder => ended(observed(manifestRead(world(), 1_000), 1_100), 1_200);

  it('flags a done after a returned handler that observed a DB the manifest did not list, with no commit before it', () => {
    const trace = done(returned(), 1_250);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [
        trace.last,
        'manifest not committed: the handler of wake w1 returned in host#1 at 1200 ms having observed "log", which the manifest of e1 did not list, and its done acked its inputs at 1250 ms with no manifest commit from host#1 before it (semantics.md §1, step 4)',
      ],
    ]);
  });

  it('counts a commit whatever became of it: stored, refused, turned away, or dropped on the wire', () => {
    expect(protocolOf(done(stored(returned(), 1_220), 1_250))).toEqual([]);
    expect(protocolOf(done(stored(returned(), 1_220, 401), 1_250))).toEqual([]);
    const refused = returned().at(1_220, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: MANIFEST, status: 503 });
    expect(protocolOf(done(refused, 1_250))).toEqual([]);
    const dropped = returned().at(1_220, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path: MANIFEST });
    expect(protocolOf(done(dropped, 1_250))).toEqual([]);
    // A manifest read is no commit, nor is another process's commit of another entity.
    const read = returned().at(1_220, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'GET', path: MANIFEST });
    expect(protocolOf(done(read, 1_250))).toHaveLength(1);
    const elsewhere = returned().at(1_220, 'agents-server', 'manifest-stored', { peer: 'host#2', entity: 'e2', sharedIds: ['log'], status: 204 });
    expect(protocolOf(done(elsewhere, 1_250))).toHaveLength(1);
  });

  it('owes nothing for a DB the manifest already listed, as stored or as served', () => {
    expect(protocolOf(done(ended(observed(manifestRead(world(), 1_000, ['log']), 1_100), 1_200), 1_250))).toEqual([]);
    const storedBefore = world().at(500, 'agents-server', 'manifest-stored', { peer: 'host#2', entity: 'e1', sharedIds: ['log'], status: 204 });
    expect(protocolOf(done(ended(observed(manifestRead(storedBefore, 1_000), 1_100), 1_200), 1_250))).toEqual([]);
    // Only the DBs the manifest missed are named.
    const two = ended(observed(observed(manifestRead(world(), 1_000, ['log']), 1_100), 1_110, 'replies'), 1_200);
    expect(protocolOf(done(two, 1_250)).map((violation) => violation.message.split(' having observed ')[1]!.split(',')[0])).toEqual(['"replies"']);
  });

  it('judges no handler that threw, none that observed nothing, and no done that acks nothing', () => {
    expect(protocolOf(done(ended(observed(manifestRead(world(), 1_000), 1_100), 1_200, 'threw'), 1_250))).toEqual([]);
    expect(protocolOf(done(ended(manifestRead(world(), 1_000), 1_200), 1_250))).toEqual([]);
    expect(protocolOf(done(returned(), 1_250, []))).toEqual([]);
  });

  it('excuses a wake a shared-state write failed in after its handler returned (its flush threw: the wake failed)', () => {
    const writeRefused = returned().at(1_210, 'agents-server', 'shared-write', { peer: 'host#1', sharedId: 'log', key: 'k', status: 401, offset: null, wakeId: null });
    expect(protocolOf(done(writeRefused, 1_250))).toEqual([]);
    const answerLost = returned().at(1_210, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/shared-state/log/rows' });
    expect(protocolOf(done(answerLost, 1_250))).toEqual([]);
    const written = returned().at(1_210, 'agents-server', 'shared-write', { peer: 'host#1', sharedId: 'log', key: 'k', status: 200, offset: '0_1', wakeId: 'w1' });
    expect(protocolOf(done(written, 1_250))).toHaveLength(1);
  });

  it('reads no annotation: a runtime saying it committed the manifest did not', () => {
    const said = returned().note(1_220, 'host#1', 'manifest-committed', { entity: 'e1', wakeId: 'w1', sharedIds: ['log'] });
    expect(protocolOf(done(said, 1_250))).toHaveLength(1);
  });
});

describe('protocol: a wake its stop aborted retries no preload', () => {
  const preload = (trace: TraceBuilder, atMs: number, status = 404, stream = 'shared/log', offset = '-1', peer = 'host#1'): TraceBuilder =>
    trace.at(atMs, 'durable-streams', 'stream-read', { peer, stream, offset, live: false, status, next: null });
  const sigterm = (trace: TraceBuilder, atMs: number): TraceBuilder => trace.at(atMs, 'host#1', 'sigterm');
  /** A preload that failed at 1 s, then SIGTERM at 2 s. */
  const stopping = (): TraceBuilder => sigterm(preload(world(), 1_000), 2_000);

  it('flags a second read of a shared stream from its start later than 1 s and a delivery after SIGTERM', () => {
    const trace = preload(stopping(), 4_000, 200);
    expect(protocolOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, 'wiring after stop: host#1 read shared/log from its start again 2000 ms after its SIGTERM (a stop aborts its wakes within 1000 ms, and an aborted wake retries no preload)'],
    ]);
  });

  it('allows a retry within the abort allowance, a delivery, and one more millisecond per message queued ahead', () => {
    expect(protocolOf(preload(stopping(), 3_011))).toEqual([]);
    expect(protocolOf(preload(stopping(), 3_012))).toHaveLength(1);
    const queued = stopping().at(2_500, 'agents-server', 'heartbeat-received', { peer: 'host#1', runner: 'r1', offset: '-1', status: 204 });
    expect(protocolOf(preload(queued, 3_012))).toEqual([]);
  });

  it('judges no first attempt, no read past the start, no other stream or process, and none after a new claim', () => {
    expect(protocolOf(preload(sigterm(world(), 2_000), 4_000))).toEqual([]);
    expect(protocolOf(preload(stopping(), 4_000, 200, 'shared/log', '0_5'))).toEqual([]);
    expect(protocolOf(preload(stopping(), 4_000, 200, 'shared/other'))).toEqual([]);
    expect(protocolOf(preload(stopping(), 4_000, 200, 'entities/e1/inbox'))).toEqual([]);
    expect(protocolOf(preload(stopping(), 4_000, 200, 'shared/log', '-1', 'host#2'))).toEqual([]);
    const claimed = stopping().at(1_500, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId: 'w2', generation: 2, entity: 'e1' });
    expect(protocolOf(preload(claimed, 4_000))).toEqual([]);
  });

  it('judges no process without SIGTERM, and flags a process once', () => {
    expect(protocolOf(preload(preload(world(), 1_000), 4_000))).toEqual([]);
    expect(protocolOf(preload(preload(stopping(), 4_000), 6_000))).toHaveLength(1);
  });
});
