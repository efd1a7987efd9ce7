import { describe, expect, it } from 'vitest';
import { SettledOffsetTracker } from '../../runtime/runner/SettledOffsetTracker.ts';
import { formatOffset } from '../../world/durable-streams/offsets.ts';

const [o1, o2, o3, o4] = [10, 20, 30, 40].map(formatOffset) as [string, string, string, string];

describe('SettledOffsetTracker', () => {
  it('starts at the start offset', () => {
    expect(new SettledOffsetTracker('-1').lowWater).toBe('-1');
  });

  it('items that need no claim settle at once', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.read(o1, false);
    expect(tracker.lowWater).toBe(o1);
  });

  it('advances only over a settled prefix', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.read(o1, true);
    tracker.read(o2, false);
    tracker.read(o3, true);
    tracker.read(o4, true);
    expect(tracker.lowWater).toBe('-1'); // o1 unsettled holds everything behind it
    tracker.settle(o3);
    expect(tracker.lowWater).toBe('-1');
    tracker.settle(o1);
    expect(tracker.lowWater).toBe(o3); // o1, o2 (no claim) and o3 form the settled prefix; o4 is still open
    tracker.settle(o4);
    expect(tracker.lowWater).toBe(o4);
  });

  it('ignores settling an offset it never read', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.read(o1, true);
    tracker.settle(o2);
    expect(tracker.lowWater).toBe('-1');
  });

  it('resolveTailStart leaves a concrete mark alone', () => {
    const tracker = new SettledOffsetTracker('-1');
    tracker.resolveTailStart(o2);
    expect(tracker.lowWater).toBe('-1');
    tracker.read(o1, true);
    tracker.settle(o1);
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
