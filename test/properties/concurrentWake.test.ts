import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';

const SUB = 'sub:e1';
const granted = (trace: TraceBuilder, atMs: number, generation: number, peer = 'host#1'): TraceBuilder =>
  trace
    .at(atMs, 'durable-streams', 'lease-granted', { subscription: SUB, generation, holder: 'r1', leaseTtlMs: 30_000 })
    .at(atMs, 'agents-server', 'claim-answered', { peer, runner: 'r1', subscription: SUB, status: 200, wakeId: `w${generation}`, generation, entity: 'e1' });
const leaseEnded = (trace: TraceBuilder, atMs: number, generation: number, reason: string): TraceBuilder =>
  trace.at(atMs, 'durable-streams', 'lease-ended', { subscription: SUB, generation, reason });
const started = (trace: TraceBuilder, atMs: number, generation: number, process = 'host#1'): TraceBuilder =>
  trace.at(atMs, process, 'handler-start', { entity: 'e1', wakeId: `w${generation}`, inputs: [] });
const ended = (trace: TraceBuilder, atMs: number, generation: number, process = 'host#1'): TraceBuilder =>
  trace.at(atMs, process, 'handler-end', { entity: 'e1', wakeId: `w${generation}`, outcome: 'returned' });

describe('concurrent-wake', () => {
  it("flags the entity's next wake granted while a handler that outlived its lease still runs", () => {
    const trace = started(granted(new TraceBuilder(), 0, 1), 10, 1);
    leaseEnded(trace, 30_000, 1, 'expired');
    granted(trace, 30_010, 2);
    const violations = judgeBy('concurrent-wake', historyOf(trace.events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(trace.last);
    expect(violations[0]!.message).toContain('wake w2 granted while wake w1 (generation 1: its handler open in host#1 since 10 ms) still runs');
  });

  it('flags a handler that starts after its lease ended while the next wake holds the entity', () => {
    const trace = leaseEnded(granted(new TraceBuilder(), 0, 1), 30_000, 1, 'expired');
    granted(trace, 30_010, 2);
    started(trace, 30_020, 1);
    const violations = judgeBy('concurrent-wake', historyOf(trace.events));
    expect(violations.map((violation) => violation.eventIndex)).toEqual([trace.last]);
  });

  it('flags two handlers of the same wake at once', () => {
    const trace = started(started(granted(new TraceBuilder(), 0, 1), 10, 1), 20, 1, 'host#2');
    expect(judgeBy('concurrent-wake', historyOf(trace.events))[0]!.message).toContain('a second handler of wake w1');
  });

  it('is quiet for wakes one after another, and for a handler whose process died before the next grant', () => {
    const oneAfterAnother = ended(started(granted(new TraceBuilder(), 0, 1), 10, 1), 20, 1);
    leaseEnded(oneAfterAnother, 25, 1, 'done');
    started(granted(oneAfterAnother, 40, 2), 50, 2);
    expect(judgeBy('concurrent-wake', historyOf(oneAfterAnother.events))).toEqual([]);

    const crashed = started(granted(new TraceBuilder(), 0, 1), 10, 1).at(15, 'host#1', 'process-exit', { reason: 'crash' });
    leaseEnded(crashed, 30_000, 1, 'expired');
    started(granted(crashed, 30_010, 2, 'host#2'), 30_020, 2, 'host#2');
    expect(judgeBy('concurrent-wake', historyOf(crashed.events))).toEqual([]);
  });

  describe('names the cause from what the servers saw', () => {
    const causeOf = (trace: TraceBuilder): string | undefined => judgeBy('concurrent-wake', historyOf(trace.events))[0]?.cause;

    it('lease-outlived: the older lease expired with no restart behind it while its handler ran', () => {
      const trace = started(granted(new TraceBuilder(), 0, 1), 10, 1);
      leaseEnded(trace, 30_000, 1, 'expired');
      granted(trace, 30_010, 2);
      expect(causeOf(trace)).toBe('lease-outlived');
      expect(judgeBy('concurrent-wake', historyOf(trace.events))[0]!.message).toMatch(/\(a handler outlived its lease, which no restart ended\)$/);
    });

    it('restart-forgot-lease: a Durable Streams restart forgot the older lease', () => {
      const trace = started(granted(new TraceBuilder(), 0, 1), 10, 1);
      leaseEnded(trace, 5_000, 1, 'lost');
      granted(trace, 12_000, 2, 'host#2');
      expect(causeOf(trace)).toBe('restart-forgot-lease');
    });

    it("restart-forgot-lease: an agents-server restart forgot the older wake's write token, its renewal was refused, its lease expired", () => {
      const restarted = (): TraceBuilder => started(granted(new TraceBuilder(), 0, 1), 10, 1).at(5_000, 'agents-server', 'server-down', { downtimeMs: 3_000, tokensLost: ['w1'] });
      const refused = restarted().at(10_000, 'agents-server', 'renew-received', { peer: 'host#1', wakeId: 'w1', status: 401 });
      leaseEnded(refused, 30_000, 1, 'expired');
      granted(refused, 30_010, 2, 'host#2');
      expect(causeOf(refused)).toBe('restart-forgot-lease');
      // A holder that never renewed after the restart lost its lease by itself: the lost token took nothing from it.
      const silent = restarted();
      leaseEnded(silent, 30_000, 1, 'expired');
      granted(silent, 30_010, 2, 'host#2');
      expect(causeOf(silent)).toBe('lease-outlived');
    });

    it("a token lost after the older lease had already ended is not the cause; nor is a restart that forgot another wake's", () => {
      const after = started(granted(new TraceBuilder(), 0, 1), 10, 1);
      leaseEnded(after, 30_000, 1, 'expired');
      after.at(30_005, 'agents-server', 'server-down', { downtimeMs: 3_000, tokensLost: ['w1'] }).at(30_006, 'agents-server', 'renew-received', { peer: 'host#1', wakeId: 'w1', status: 401 });
      granted(after, 30_010, 2, 'host#2');
      expect(causeOf(after)).toBe('lease-outlived');

      const other = started(granted(new TraceBuilder(), 0, 1), 10, 1)
        .at(5_000, 'agents-server', 'server-down', { downtimeMs: 3_000, tokensLost: ['w9'] })
        .at(10_000, 'agents-server', 'renew-received', { peer: 'host#1', wakeId: 'w1', status: 401 });
      leaseEnded(other, 30_000, 1, 'expired');
      granted(other, 30_010, 2, 'host#2');
      expect(causeOf(other)).toBe('lease-outlived');
    });

    it('the starting handler is the one that outlived its lease: its cause is taken from it', () => {
      const trace = leaseEnded(granted(new TraceBuilder(), 0, 1), 5_000, 1, 'lost');
      granted(trace, 12_000, 2, 'host#2');
      started(trace, 12_100, 1);
      expect(causeOf(trace)).toBe('restart-forgot-lease');
    });

    it('network-cut-lease: the older lease expired in a network outage that cut a renewal of it; not an outage alone', () => {
      const outage = (trace: TraceBuilder, atMs: number, spanMs?: number): TraceBuilder => trace.at(atMs, 'faults', 'fault', { kind: 'network-outage', ...(spanMs === undefined ? {} : { spanMs }) });
      const renewalCut = (trace: TraceBuilder, atMs: number): TraceBuilder =>
        trace.at(atMs, 'network', 'fault', { kind: 'connection-drop', peer: 'host#1', service: 'agents-server', method: 'POST', path: '/_electric/wakes/w1/renew', cause: 'network-outage' });
      const expiresThenGranted = (trace: TraceBuilder): TraceBuilder => granted(leaseEnded(trace, 30_000, 1, 'expired'), 30_010, 2, 'host#2');

      const cut = expiresThenGranted(renewalCut(outage(started(granted(new TraceBuilder(), 0, 1), 10, 1), 12_000, 40_000), 20_000));
      expect(causeOf(cut)).toBe('network-cut-lease');
      // An outage that ended before the expiry, one that began with no renewal cut (a holder that had stopped renewing),
      // and one recorded without its span are not the cause.
      expect(causeOf(expiresThenGranted(renewalCut(outage(started(granted(new TraceBuilder(), 0, 1), 10, 1), 12_000, 9_000), 20_000)))).toBe('lease-outlived');
      expect(causeOf(expiresThenGranted(outage(started(granted(new TraceBuilder(), 0, 1), 10, 1), 29_500, 1_000)))).toBe('lease-outlived');
      expect(causeOf(expiresThenGranted(renewalCut(outage(outage(started(granted(new TraceBuilder(), 0, 1), 10, 1), 11_000), 12_000, 40_000), 20_000)))).toBe('network-cut-lease');
    });

    it('reports two wakes once, whichever event showed them first', () => {
      // w2 granted beside w1's held lease, then w1's handler starts beside w2: the same two wakes, seen twice.
      const trace = granted(granted(new TraceBuilder(), 0, 1), 20, 2, 'host#2');
      started(trace, 30, 1);
      expect(judgeBy('concurrent-wake', historyOf(trace.events))).toHaveLength(1);
    });

    it('two-leases and two-handlers', () => {
      const twoLeases = started(granted(new TraceBuilder(), 0, 1), 10, 1);
      granted(twoLeases, 20, 2, 'host#2');
      expect(causeOf(twoLeases)).toBe('two-leases');
      const twoHandlers = started(started(granted(new TraceBuilder(), 0, 1), 10, 1), 20, 1, 'host#2');
      expect(causeOf(twoHandlers)).toBe('two-handlers');
    });
  });
});
