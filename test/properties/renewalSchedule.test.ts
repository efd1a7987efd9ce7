import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';
import type { LeaseRenewalPromise } from '../../protocol/host/LeaseRenewalPromise.ts';
import type { RunHistory } from '../../properties/RunHistory.ts';
import { v04LeaseRenewalPromise } from '../../runtimes/v04/leaseRenewalPromise.ts';
import { CONFIG_PRESETS } from '../../scenarios/config/SwitchValues.ts';

/** Deliveries take 1 to 11 ms: each deadline allows 3 × 11 + 100 = 133 ms. */
const SLACK_MS = 133;
const world = (): TraceBuilder => new TraceBuilder().at(0, 'world', 'world-configured', { leaseTtlMs: 30_000, longPollTimeoutMs: 20_000, baseLatencyMs: 1, maxExtraDelayMs: 10 });
/** The hardened v0.4 promise: a renewal every 12 s, 4 s after one unanswered, none 25 s past a confirmed one. */
const HARDENED_PROMISE: LeaseRenewalPromise = { maxRenewalGapMs: () => 12_000, retryUnansweredWithinMs: () => 4_000, claimKeptUnconfirmedMs: () => 25_000 };
const claimed = (trace: TraceBuilder, atMs: number, peer = 'host#1'): TraceBuilder =>
  trace.at(atMs, 'agents-server', 'claim-answered', { peer, runner: 'r1', subscription: 'sub:e1', status: 200, wakeId: 'w1', generation: 1, entity: 'e1' });
const renewed = (trace: TraceBuilder, atMs: number, status = 200, peer = 'host#1'): TraceBuilder => trace.at(atMs, 'agents-server', 'renew-received', { peer, wakeId: 'w1', status });
const lostAnswer = (trace: TraceBuilder, atMs: number, path: string): TraceBuilder =>
  trace.at(atMs, 'network', 'fault', { kind: 'lost-answer', peer: 'host#1', service: 'agents-server', method: 'POST', path });
/** Something the world saw at `atMs` that has nothing to do with the wake: the first event past a deadline. */
const tick = (trace: TraceBuilder, atMs: number): TraceBuilder => trace.at(atMs, 'chat', 'chat-post', { peer: 'host#1', action: 'noise', status: 200 });
/** The lease-renewal violations of a run ending at its last event, judged against `promise` (null: none declared). */
const renewalOf = (trace: TraceBuilder, promise: LeaseRenewalPromise | null = HARDENED_PROMISE, extra: Partial<RunHistory> = {}) =>
  judgeBy('protocol', historyOf(trace.events, { endMs: trace.events.at(-1)!.atMs, ...(promise ? { leaseRenewal: promise } : {}), ...extra })).filter((violation) =>
    violation.message.startsWith('lease renewal'),
  );

describe('protocol: lease renewals on the schedule the runtime promises', () => {
  it('flags a wake renewed later than promised after its claim, at the first event past the deadline', () => {
    const trace = tick(claimed(world(), 1_000), 13_000 + SLACK_MS + 1);
    expect(renewalOf(trace).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [trace.last, "lease renewal: host#1 sent no renewal of w1 for 12134 ms after its claim (it promised one within 12000 ms; 12133 ms with the world's delays)"],
    ]);
  });

  it('allows renewals within the gap and its slack, and judges nothing without a promise', () => {
    // Builders append in place: a fresh trace for each judgement.
    const onTime = (): TraceBuilder => renewed(renewed(claimed(world(), 1_000), 13_000 + SLACK_MS), 25_000 + 2 * SLACK_MS);
    // Owed by 37,399 ms; the SIGTERM at 30 s ends what the process owes.
    expect(renewalOf(tick(onTime().at(30_000, 'host#1', 'sigterm'), 60_000))).toEqual([]);
    expect(renewalOf(tick(onTime(), 37_399))).toEqual([]);
    expect(renewalOf(tick(onTime(), 37_400))).toHaveLength(1);
    expect(renewalOf(tick(claimed(world(), 1_000), 60_000), null)).toEqual([]);
  });

  it('flags a wake left unrenewed to the end of the run, after its last renewal', () => {
    const trace = renewed(claimed(world(), 1_000), 10_000);
    expect(renewalOf(trace, HARDENED_PROMISE, { endMs: 23_000 }).map((violation) => [violation.eventIndex, violation.atMs, violation.message])).toEqual([
      [undefined, 23_000, "lease renewal: host#1 sent no renewal of w1 for 13000 ms after its last renewal (it promised one within 12000 ms; 12133 ms with the world's delays), to the end of the run"],
    ]);
    expect(renewalOf(trace, HARDENED_PROMISE, { endMs: 22_000 + SLACK_MS })).toEqual([]);
  });

  it('holds a renewal that got no answer to the retry promise: a 503, one turned away, a dropped request, a lost answer', () => {
    const path = '/_electric/wakes/w1/renew';
    const failures: Array<(trace: TraceBuilder) => TraceBuilder> = [
      (trace) => renewed(trace, 5_000, 503),
      (trace) => trace.at(5_000, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path, status: 503 }),
      (trace) => trace.at(5_000, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path }),
      (trace) => renewed(lostAnswer(trace, 5_000, path), 5_000, 200),
    ];
    for (const failure of failures) {
      const late = tick(failure(claimed(world(), 1_000)), 9_000 + SLACK_MS + 1);
      expect(renewalOf(late).map((violation) => violation.message)).toEqual([
        "lease renewal: host#1 sent no renewal of w1 for 4134 ms after a renewal that got no answer (it promised one within 4000 ms; 4133 ms with the world's delays)",
      ]);
      expect(renewalOf(tick(renewed(failure(claimed(world(), 1_000)), 9_000 + SLACK_MS), 21_000))).toEqual([]);
    }
  });

  it('counts a 200 whose answer its sender no longer waited for as a renewal that got no answer', () => {
    const unclaimed = renewed(claimed(world(), 1_000), 5_000).at(5_008, 'network', 'answer-unclaimed', {
      peer: 'host#1',
      service: 'agents-server',
      method: 'POST',
      path: '/_electric/wakes/w1/renew',
      status: 200,
      answeredAtMs: 5_000,
    });
    expect(renewalOf(tick(unclaimed, 9_200)).map((violation) => violation.message)).toEqual([
      "lease renewal: host#1 sent no renewal of w1 for 4200 ms after a renewal that got no answer (it promised one within 4000 ms; 4133 ms with the world's delays)",
    ]);
  });

  it("withdraws a 200 nobody read from the kept time, and a claim nobody read, even one of two answered at once", () => {
    const path = '/_electric/wakes/w1/renew';
    const unclaimed = (trace: TraceBuilder, atMs: number): TraceBuilder =>
      trace.at(atMs + 8, 'network', 'answer-unclaimed', { peer: 'host#1', service: 'agents-server', method: 'POST', path, status: 200, answeredAtMs: atMs });
    // Confirmed at 22 s the claim is kept to 46,989 ms, and the 503 at 32 s is owed a retry; unread, the 200 at 22 s
    // leaves it kept to 35,989 ms, and the retry due at 36,133 ms is owed no more. The renewal at 26 s answers the
    // retry the unread 200 is owed.
    const retries = (trace: TraceBuilder): TraceBuilder => [26_000, 28_000, 32_000].reduce((sofar, atMs) => renewed(sofar, atMs, 503), trace);
    expect(renewalOf(tick(retries(renewed(renewed(claimed(world(), 1_000), 11_000), 22_000)), 60_000))).toHaveLength(1);
    expect(renewalOf(tick(retries(unclaimed(renewed(renewed(claimed(world(), 1_000), 11_000), 22_000), 22_000)), 60_000))).toEqual([]);
    const twoClaims = world()
      .at(1_000, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e1', status: 200, wakeId: 'w1', generation: 1, entity: 'e1' })
      .at(1_000, 'agents-server', 'claim-answered', { peer: 'host#1', runner: 'r1', subscription: 'sub:e2', status: 200, wakeId: 'w2', generation: 1, entity: 'e2' })
      .at(1_009, 'network', 'answer-unclaimed', { peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/runners/r1/claim', status: 200, answeredAtMs: 1_000 });
    expect(renewalOf(tick(twoClaims, 60_000))).toEqual([]);
  });

  it('owes nothing once the claim may have been given up: the kept time after the last confirmed renewal', () => {
    // Confirmed at 1 s and 11 s: the runtime may give its claim up from 11 s - 11 ms + 25 s on; the retry owed after
    // the 503 at 35 s falls after that.
    const failing = (trace: TraceBuilder): TraceBuilder => [23_000, 27_000, 31_000, 35_000].reduce((sofar, atMs) => renewed(sofar, atMs, 503), trace);
    const kept = (): TraceBuilder => failing(renewed(claimed(world(), 1_000), 11_000));
    expect(renewalOf(tick(kept(), 60_000))).toEqual([]);
    // Without the fence the 503s are owed their retries.
    expect(renewalOf(tick(kept(), 60_000), { maxRenewalGapMs: () => 12_000, retryUnansweredWithinMs: () => 4_000 })).toHaveLength(1);
  });

  it('extends the kept time by no 200 whose answer was lost, or that may reach the runtime only after it ran out', () => {
    const path = '/_electric/wakes/w1/renew';
    const retries = (trace: TraceBuilder): TraceBuilder => [24_000, 28_000, 32_000].reduce((sofar, atMs) => renewed(sofar, atMs, 503), trace);
    // A 200 at 22 s would keep the claim to 46,989 ms, and the 503 at 32 s owe a retry; lost, it confirmed nothing.
    expect(renewalOf(tick(retries(renewed(renewed(claimed(world(), 1_000), 11_000), 22_000)), 60_000))).toHaveLength(1);
    expect(renewalOf(tick(retries(renewed(lostAnswer(renewed(claimed(world(), 1_000), 11_000), 22_000, path), 22_000)), 60_000))).toEqual([]);
    // Kept to 35,989 ms: a 200 at 35,985 ms may reach the runtime after that, one at 35,970 ms reaches it before.
    const failing = (trace: TraceBuilder): TraceBuilder => [23_000, 27_000, 31_000, 35_000].reduce((sofar, atMs) => renewed(sofar, atMs, 503), trace);
    expect(renewalOf(tick(renewed(failing(renewed(claimed(world(), 1_000), 11_000)), 35_985), 60_000))).toEqual([]);
    expect(renewalOf(tick(renewed(failing(renewed(claimed(world(), 1_000), 11_000)), 35_970), 60_000))).toHaveLength(1);
  });

  it("ends the wake's obligation at its done (or a done the wire lost), a refusal for good it read, and its process's stop", () => {
    const ended: Array<(trace: TraceBuilder) => TraceBuilder> = [
      (trace) => trace.at(5_000, 'agents-server', 'done-received', { peer: 'host#1', wakeId: 'w1', generation: 1, acks: [], status: 503 }),
      (trace) => trace.at(5_000, 'network', 'fault', { kind: 'hung-request', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/wakes/w1/done' }),
      (trace) => renewed(trace, 5_000, 409),
      (trace) => renewed(trace, 5_000, 401),
      (trace) => trace.at(5_000, 'host#1', 'sigterm'),
      (trace) => trace.at(5_000, 'host#1', 'process-exit', { reason: 'crash' }),
    ];
    for (const end of ended) expect(renewalOf(tick(end(claimed(world(), 1_000)), 60_000))).toEqual([]);
    // A refusal whose answer was lost told the runtime nothing: it owes the retry.
    const lostRefusal = renewed(lostAnswer(claimed(world(), 1_000), 5_000, '/_electric/wakes/w1/renew'), 5_000, 409);
    expect(renewalOf(tick(lostRefusal, 60_000))).toHaveLength(1);
  });

  it("counts only the wake's own process's renewals, and a refusal the server made itself like its answers", () => {
    expect(renewalOf(tick(renewed(claimed(world(), 1_000), 10_000, 200, 'host#2'), 13_500))).toHaveLength(1);
    const refused = (status: number) => claimed(world(), 1_000).at(5_000, 'agents-server', 'request-refused', { peer: 'host#1', method: 'POST', path: '/_electric/wakes/w1/renew', status });
    expect(renewalOf(tick(refused(401), 60_000))).toEqual([]);
    expect(renewalOf(tick(refused(503), 9_200))).toHaveLength(1);
  });

  it('starts nothing for a claim its process never read, or answered once its process began to stop', () => {
    const lostClaim = claimed(lostAnswer(world(), 1_000, '/_electric/runners/r1/claim'), 1_000);
    expect(renewalOf(tick(lostClaim, 60_000))).toEqual([]);
    const unclaimed = claimed(world(), 1_000).at(1_009, 'network', 'answer-unclaimed', {
      peer: 'host#1',
      service: 'agents-server',
      method: 'POST',
      path: '/_electric/runners/r1/claim',
      status: 200,
      answeredAtMs: 1_000,
    });
    expect(renewalOf(tick(unclaimed, 60_000))).toEqual([]);
    expect(renewalOf(tick(claimed(world().at(500, 'host#1', 'sigterm'), 1_000), 60_000))).toEqual([]);
    // Another process's stop ends nothing of this one's.
    expect(renewalOf(tick(claimed(world().at(500, 'host#2', 'sigterm'), 1_000), 60_000))).toHaveLength(1);
  });

  it('flags a renewal sooner than promised after a confirmed one, not after one the runtime never read', () => {
    const spaced: LeaseRenewalPromise = { ...HARDENED_PROMISE, minGapAfterConfirmedMs: () => 10_000 };
    const storm = renewed(renewed(claimed(world(), 1_000), 11_000), 11_046);
    expect(renewalOf(tick(storm, 12_000), spaced).map((violation) => [violation.eventIndex, violation.message])).toEqual([
      [3, 'lease renewal: host#1 renewed w1 46 ms after the agents server confirmed its renewal (it promised to wait 10000 ms)'],
    ]);
    expect(renewalOf(tick(renewed(renewed(claimed(world(), 1_000), 11_000), 21_000), 22_000), spaced)).toEqual([]);
    // After a 503, or a 200 whose answer was lost or read by no one, the runtime may try again at once.
    expect(renewalOf(tick(renewed(renewed(claimed(world(), 1_000), 11_000, 503), 11_046), 12_000), spaced)).toEqual([]);
    const lost = renewed(lostAnswer(claimed(world(), 1_000), 11_000, '/_electric/wakes/w1/renew'), 11_000);
    expect(renewalOf(tick(renewed(lost, 11_046), 12_000), spaced)).toEqual([]);
    const unread = renewed(claimed(world(), 1_000), 11_000);
    unread.at(11_046, 'agents-server', 'renew-received', { peer: 'host#1', wakeId: 'w1', status: 200 });
    unread.at(11_050, 'network', 'answer-unclaimed', { peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/wakes/w1/renew', status: 200, answeredAtMs: 11_000 });
    expect(renewalOf(tick(unread, 12_000), spaced)).toEqual([]);
    // Without the promise, renewals may come as often as the runtime likes.
    expect(renewalOf(tick(renewed(renewed(claimed(world(), 1_000), 11_000), 11_046), 12_000))).toEqual([]);
  });

  it('takes the lease length of the grant the claim answered', () => {
    const granted = world().at(999, 'durable-streams', 'lease-granted', { subscription: 'sub:e1', generation: 1, holder: 'r1', leaseTtlMs: 60_000 });
    const promise: LeaseRenewalPromise = { maxRenewalGapMs: (leaseTtlMs) => leaseTtlMs / 3 };
    expect(renewalOf(tick(claimed(granted, 1_000), 15_000), promise)).toEqual([]);
    expect(renewalOf(tick(claimed(world(), 1_000), 15_000), promise)).toHaveLength(1);
  });
});

describe("the v0.4 runtime's declared renewal schedule", () => {
  const promiseOf = (switches: Record<string, string>) => {
    const promise = v04LeaseRenewalPromise(switches);
    return promise && { gap: promise.maxRenewalGapMs(30_000), retry: promise.retryUnansweredWithinMs?.(30_000), kept: promise.claimKeptUnconfirmedMs?.(30_000), spacing: promise.minGapAfterConfirmedMs?.(30_000) };
  };

  it('promises, for a 30 s lease, what its switches document', () => {
    expect(promiseOf(CONFIG_PRESETS['hardened']!)).toEqual({ gap: 12_000, retry: 4_000, kept: 25_000, spacing: 10_000 });
    expect(promiseOf({ 'lease-renewal': 'renew', 'renewal-timeout': 'interval', 'renewal-retry': 'backoff' })).toEqual({ gap: 10_000, retry: 10_000, kept: undefined, spacing: 10_000 });
    expect(promiseOf({ 'lease-renewal': 'renew', 'renewal-timeout': 'none', 'request-timeout': 'abort' })).toEqual({ gap: 40_000, retry: undefined, kept: undefined, spacing: 10_000 });
    expect(promiseOf({ 'lease-renewal': 'renew', 'renewal-timeout': 'none', 'request-timeout': 'abort', 'renewal-retry': 'backoff' })).toEqual({ gap: 40_000, retry: 32_000, kept: undefined, spacing: 10_000 });
    expect(promiseOf({ 'lease-renewal': 'renew', 'renewal-timeout': 'short', 'renewal-retry': 'none' })).toEqual({ gap: 12_000, retry: undefined, kept: undefined, spacing: 10_000 });
  });

  it('follows the lease: a short lease caps the answer wait at the interval, a long one meets the request deadline first', () => {
    const short = v04LeaseRenewalPromise({ 'lease-renewal': 'renew', 'renewal-timeout': 'short', 'renewal-retry': 'backoff' })!;
    expect([short.maxRenewalGapMs(3_000), short.retryUnansweredWithinMs!(3_000)]).toEqual([2_000, 2_000]);
    // Over a 90 s lease, the 30 s request deadline fails a hung renewal before `interval`'s timer, and the next
    // renewal then waits a whole interval.
    const interval = v04LeaseRenewalPromise({ 'lease-renewal': 'renew', 'renewal-timeout': 'interval', 'request-timeout': 'abort' })!;
    expect([interval.maxRenewalGapMs(60_000), interval.maxRenewalGapMs(120_000)]).toEqual([20_000, 70_000]);
  });

  it('promises nothing where it does not renew, or where a renewal may wait for good', () => {
    expect(promiseOf({ 'lease-renewal': 'none', 'renewal-timeout': 'short' })).toBeUndefined();
    expect(promiseOf({ 'lease-renewal': 'renew', 'renewal-timeout': 'none', 'request-timeout': 'none' })).toBeUndefined();
  });
});
