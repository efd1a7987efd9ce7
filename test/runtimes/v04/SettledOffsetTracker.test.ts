import { describe, expect, it } from 'vitest';
import { SettledOffsetTracker } from '../../../runtimes/v04/runner/SettledOffsetTracker.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';

const [o1, o2, o3, o4] = [10, 20, 30, 40].map(formatOffset) as [string, string, string, string];

describe('SettledOffsetTracker', () => {
  it('starts at the start offset', () => {
    expect(new SettledOffsetTracker('-1').lowWater).toBe('-1');
  });

  it('a batch with no claims settles at once', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.readBatch(o1, 0);
    expect(tracker.lowWater).toBe(o1);
  });

  it('advances only over a settled prefix of batches', () => {
    const tracker = new SettledOffsetTracker('-1');
    const b1 = tracker.readBatch(o1, 1);
    tracker.readBatch(o2, 0);
    const b3 = tracker.readBatch(o3, 1);
    const b4 = tracker.readBatch(o4, 1);
    expect(tracker.lowWater).toBe('-1'); // o1 unsettled holds everything behind it
    tracker.settle(b3);
    expect(tracker.lowWater).toBe('-1');
    tracker.settle(b1);
    expect(tracker.lowWater).toBe(o3); // o1, o2 (no claim) and o3 form the settled prefix; o4 is still open
    tracker.settle(b4);
    expect(tracker.lowWater).toBe(o4);
  });

  // The library tier: the client gives one offset per response, so a batch of several wakes is one position.
  it('moves past a batch of several claims only when all of them settled', () => {
    const tracker = new SettledOffsetTracker('-1');
    const batch = tracker.readBatch(o2, 2);
    tracker.settle(batch);
    expect(tracker.lowWater).toBe('-1');
    tracker.settle(batch);
    expect(tracker.lowWater).toBe(o2);
  });

  it('settling a batch more often than it has claims changes nothing', () => {
    const tracker = new SettledOffsetTracker('-1');
    const first = tracker.readBatch(o1, 1);
    const second = tracker.readBatch(o2, 1);
    tracker.settle(first);
    tracker.settle(first);
    expect(tracker.lowWater).toBe(o1);
    const third = tracker.readBatch(o3, 1);
    tracker.readBatch(o4, 1);
    // Settled once too often while an earlier batch holds it back: it must still count as settled, not owe a claim.
    tracker.settle(third);
    tracker.settle(third);
    expect(tracker.lowWater).toBe(o1);
    tracker.settle(second);
    expect(tracker.lowWater).toBe(o3);
  });

  it('resolveTailStart leaves a concrete mark alone', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.resolveTailStart(o2);
    expect(tracker.lowWater).toBe('-1');
    tracker.settle(tracker.readBatch(o1, 1));
    tracker.resolveTailStart(o3);
    expect(tracker.lowWater).toBe(o1);
  });

  // `now` is a position, not an offset; comparing it as a string ('n' > '0') once kept a tracker started there at `now`.
  it('resolveTailStart replaces a `now` start with the tail a read revealed', () => {
    const tracker = new SettledOffsetTracker('now');
    tracker.resolveTailStart(o2);
    expect(tracker.lowWater).toBe(o2);
  });
});
