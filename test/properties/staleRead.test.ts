import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';

/** A wake of `e1` in `process` that records day 0 (its check found nothing), then ends. */
function recordingWake(trace: TraceBuilder, atMs: number, process: string, wakeId: string): TraceBuilder {
  return trace
    .at(atMs, process, 'handler-start', { entity: 'e1', wakeId, inputs: [] })
    .at(atMs + 10, process, 'idempotency-check', { entity: 'e1', occurrence: 0, verdict: 'not-posted' })
    .at(atMs + 20, process, 'recorded', { entity: 'e1', occurrence: 0 })
    .at(atMs + 30, process, 'handler-end', { entity: 'e1', wakeId });
}

describe('stale-read', () => {
  it('flags a wake begun after the record whose check does not find it', () => {
    const trace = recordingWake(new TraceBuilder(), 1_000, 'host#1', 'w1')
      .at(5_000, 'host#2', 'handler-start', { entity: 'e1', wakeId: 'w2', inputs: [] })
      .at(5_010, 'host#2', 'idempotency-check', { entity: 'e1', occurrence: 0, verdict: 'not-posted' });
    const violations = judgeBy('stale-read', historyOf(trace.events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toBe('e1 digest:0 not found by wake w2 in host#2 (started at 5000 ms), though host#1 recorded it at 1020 ms');
  });

  it('flags a reply the reply log recorded and a later wake does not find', () => {
    const trace = new TraceBuilder()
      .at(1_000, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [] })
      .at(1_020, 'host#1', 'reply-recorded', { entity: 'e1', message: 3 })
      .at(1_030, 'host#1', 'handler-end', { entity: 'e1', wakeId: 'w1' })
      .at(2_000, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w2', inputs: [] })
      .at(2_010, 'host#1', 'reply-check', { entity: 'e1', message: 3, verdict: 'not-posted' });
    expect(judgeBy('stale-read', historyOf(trace.events)).map((violation) => violation.message)).toEqual([
      'e1 reply:3 not found by wake w2 in host#1 (started at 2000 ms), though host#1 recorded it at 1020 ms',
    ]);
  });

  it('is quiet when the later wake finds the row, or began before the record (a wake beside it may read first)', () => {
    const found = recordingWake(new TraceBuilder(), 1_000, 'host#1', 'w1')
      .at(5_000, 'host#2', 'handler-start', { entity: 'e1', wakeId: 'w2', inputs: [] })
      .at(5_010, 'host#2', 'idempotency-check', { entity: 'e1', occurrence: 0, verdict: 'posted' });
    expect(judgeBy('stale-read', historyOf(found.events))).toEqual([]);
    const beside = new TraceBuilder()
      .at(900, 'host#2', 'handler-start', { entity: 'e1', wakeId: 'w2', inputs: [] })
      .at(1_000, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [] })
      .at(1_020, 'host#1', 'recorded', { entity: 'e1', occurrence: 0 })
      .at(1_050, 'host#2', 'idempotency-check', { entity: 'e1', occurrence: 0, verdict: 'not-posted' });
    expect(judgeBy('stale-read', historyOf(beside.events))).toEqual([]);
  });

  it("is quiet for another entity's row and for a check outside any wake of the entity", () => {
    const other = recordingWake(new TraceBuilder(), 1_000, 'host#1', 'w1')
      .at(5_000, 'host#1', 'handler-start', { entity: 'e2', wakeId: 'w2', inputs: [] })
      .at(5_010, 'host#1', 'idempotency-check', { entity: 'e2', occurrence: 0, verdict: 'not-posted' })
      .at(6_000, 'host#1', 'idempotency-check', { entity: 'e1', occurrence: 0, verdict: 'not-posted' });
    expect(judgeBy('stale-read', historyOf(other.events))).toEqual([]);
  });
});
