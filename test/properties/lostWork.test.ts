import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';
import { acked, handled, INBOX, message, O1, O2, SUB, twoMessages } from './inboxTraces.ts';

describe('lost-work', () => {
  it('flags an ack that moves the cursor past an item no handler was given, at that ack', () => {
    const trace = acked(handled(twoMessages(), 300, 0), 400, O2);
    const violations = judgeBy('lost-work', historyOf(trace.events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(trace.last);
    expect(violations[0]!.message).toContain(`past the item at ${O2}`);
  });

  it('flags an item stored before the quiet period that no handler was given by the end, and only that one', () => {
    const trace = handled(twoMessages(), 300, 1);
    const violations = judgeBy('lost-work', historyOf(trace.events, { quietFromMs: 150 }));
    expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining(`${INBOX} at ${O1}`)]);
    expect(violations[0]!.eventIndex).toBeUndefined();
  });

  it('is quiet when every item was given to a handler before the ack that covered it', () => {
    const trace = acked(handled(twoMessages(), 300, 0, 1), 400, O2);
    expect(judgeBy('lost-work', historyOf(trace.events))).toEqual([]);
  });

  it('matches items by what they are, not by the offsets a runtime handed its handler', () => {
    // The runtime gave the handler the batch's end offset for both items (one offset per answer): still both seen.
    const trace = acked(handled(twoMessages(), 300, 0, 1), 400, O2);
    expect(trace.events.find((event) => event.kind === 'handler-start')!.detail['inputs']).toEqual([
      { stream: INBOX, offset: O2, item: message(0) },
      { stream: INBOX, offset: O2, item: message(1) },
    ]);
    expect(judgeBy('lost-work', historyOf(trace.events))).toEqual([]);
  });

  it('never counts a runtime annotation as a handler having seen an item', () => {
    const trace = twoMessages().note(300, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w', inputs: [{ stream: INBOX, offset: O2, item: message(0) }] });
    acked(trace, 400, O1);
    const violations = judgeBy('lost-work', historyOf(trace.events, { quietFromMs: 150 }));
    expect(violations.map((violation) => violation.eventIndex)).toEqual([trace.last]);
  });

  describe('wake rows (a payload carried by a row of the wake stream alone)', () => {
    const WAKE_STREAM = 'runners/r1/wake';
    const R1 = '0000000000000000_0000000000000100';
    const R2 = '0000000000000000_0000000000000200';
    const done = (child: string) => ({ type: 'wake', kind: 'run-finished', child, run: `w-${child}` });
    /** e1 exists and two wake rows with a payload were appended for it, at R1 and R2. */
    const twoRows = (): TraceBuilder =>
      new TraceBuilder()
        .at(0, 'agents-server', 'entity-created', { entity: 'e1', type: 't', subscription: SUB, runner: 'r1', streams: [INBOX], wakeStream: WAKE_STREAM })
        .at(100, 'durable-streams', 'wake-row-appended', { subscription: SUB, generation: 1, wakeStream: WAKE_STREAM, offset: R1, payload: done('c1'), issued: true })
        .at(110, 'durable-streams', 'wake-row-appended', { subscription: SUB, generation: 1, wakeStream: WAKE_STREAM, offset: R2, payload: done('c2'), issued: false });
    const given = (trace: TraceBuilder, atMs: number, ...children: string[]): TraceBuilder =>
      trace.at(atMs, 'host#1', 'handler-start', { entity: 'e1', wakeId: `w${atMs}`, inputs: children.map((child) => ({ stream: WAKE_STREAM, offset: R2, item: done(child) })) });
    const rowsAcked = (trace: TraceBuilder, atMs: number, offset: string): TraceBuilder =>
      trace.at(atMs, 'durable-streams', 'wake-rows-acked', { subscription: SUB, generation: 1, wakeStream: WAKE_STREAM, offset });

    it('flags a wake-row cursor that passes a row whose payload no handler was given, at that ack', () => {
      const trace = rowsAcked(given(twoRows(), 300, 'c2'), 400, R2);
      const violations = judgeBy('lost-work', historyOf(trace.events));
      expect(violations).toHaveLength(1);
      expect(violations[0]!.eventIndex).toBe(trace.last);
      expect(violations[0]!.message).toContain(`acked ${WAKE_STREAM} to ${R2}`);
      expect(violations[0]!.message).toContain(`past the item at ${R1}`);
    });

    it('flags a row never given by the end, even with no ack at all', () => {
      const violations = judgeBy('lost-work', historyOf(given(twoRows(), 300, 'c1').events, { quietFromMs: 150 }));
      expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining(`${WAKE_STREAM} at ${R2}`)]);
    });

    it('is quiet when every row was given before the cursor passed it', () => {
      const trace = rowsAcked(given(twoRows(), 300, 'c1', 'c2'), 400, R2);
      expect(judgeBy('lost-work', historyOf(trace.events, { quietFromMs: 150 }))).toEqual([]);
    });
  });
});
