import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';
import { acked, handled, INBOX, O1, O2, SUB, twoMessages } from './inboxTraces.ts';

describe('unacked-work', () => {
  it('flags an item handlers were given again and again whose ack never landed, at the end of the run', () => {
    // The first message's ack landed; the second's never did, though the entity was woken for it three times.
    const trace = handled(handled(handled(twoMessages(), 300, 0, 1), 30_300, 0, 1), 60_300, 0, 1);
    acked(trace, 60_400, O1);
    const violations = judgeBy('unacked-work', historyOf(trace.events));
    expect(violations.map((violation) => violation.message)).toEqual([
      `the item stored in ${INBOX} at ${O2} (200 ms) for e1 was given to its handlers 3 times and never acked: ${SUB}'s cursor ends at ${O1}`,
    ]);
    expect(violations[0]!.eventIndex).toBeUndefined();
    expect(violations[0]!.atMs).toBe(600_000);
  });

  it('is quiet once the cursor reaches the items handlers were given', () => {
    const trace = acked(handled(twoMessages(), 300, 0, 1), 400, O2);
    expect(judgeBy('unacked-work', historyOf(trace.events))).toEqual([]);
  });

  it('leaves items no handler was given to lost-work, and items stored in the quiet period alone', () => {
    // Message 0 was never given (lost-work's); message 1 arrived after the quiet period began.
    const trace = handled(twoMessages(), 300, 1);
    expect(judgeBy('unacked-work', historyOf(trace.events, { quietFromMs: 150 }))).toEqual([]);
    expect(judgeBy('lost-work', historyOf(trace.events, { quietFromMs: 150 }))).toHaveLength(1);
  });

  it("never counts a runtime's annotation as an ack", () => {
    const trace = handled(twoMessages(), 300, 0, 1).note(400, 'host#1', 'acks-applied', { subscription: SUB, generation: 1, acks: [{ stream: INBOX, offset: O2 }] });
    expect(judgeBy('unacked-work', historyOf(trace.events))).toHaveLength(2);
  });

  it("reads a done's wake-row cursor as the ack of a wake row's payload", () => {
    const WAKE_STREAM = 'runners/r1/wake';
    const R1 = '0000000000000000_0000000000000100';
    const finished = { type: 'wake', kind: 'run-finished', child: 'c1', run: 'w-c1' };
    const trace = new TraceBuilder()
      .at(0, 'agents-server', 'entity-created', { entity: 'e1', type: 't', subscription: SUB, runner: 'r1', streams: [INBOX], wakeStream: WAKE_STREAM })
      .at(100, 'durable-streams', 'wake-row-appended', { subscription: SUB, generation: 1, wakeStream: WAKE_STREAM, offset: R1, payload: finished, issued: true })
      .at(300, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [{ stream: WAKE_STREAM, offset: R1, item: finished }] });
    expect(judgeBy('unacked-work', historyOf(trace.events)).map((violation) => violation.message)).toEqual([expect.stringContaining('given to its handlers once and never acked')]);
    trace.at(400, 'durable-streams', 'wake-rows-acked', { subscription: SUB, generation: 1, wakeStream: WAKE_STREAM, offset: R1 });
    expect(judgeBy('unacked-work', historyOf(trace.events))).toEqual([]);
  });
});
