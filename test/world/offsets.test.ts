import { describe, expect, it } from 'vitest';
import { BEGINNING_OFFSET, OFFSET_PATTERN, TAIL_OFFSET, formatOffset, offsetAtOrBefore } from '../../world/durable-streams/offsets.ts';

describe('formatOffset', () => {
  it('mints reference-server style offsets that match OFFSET_PATTERN', () => {
    expect(formatOffset(160)).toBe('0000000000000000_0000000000000160');
    for (const n of [0, 1, 99, 123_456_789]) expect(formatOffset(n)).toMatch(OFFSET_PATTERN);
  });

  it('sorts lexicographically in numeric order', () => {
    const numbers = [100_000, 5, 42, 1_000, 9, 0, 10];
    const byString = numbers.map(formatOffset).sort();
    expect(byString).toEqual([...numbers].sort((a, b) => a - b).map(formatOffset));
  });
});

describe('OFFSET_PATTERN', () => {
  it('accepts the two sentinels and rejects malformed tokens', () => {
    expect(OFFSET_PATTERN.test(BEGINNING_OFFSET)).toBe(true);
    expect(OFFSET_PATTERN.test(TAIL_OFFSET)).toBe(true);
    for (const bad of ['', '-2', 'later', '0_0', '160', `${formatOffset(1)}x`]) expect(OFFSET_PATTERN.test(bad)).toBe(false);
  });
});

describe('offsetAtOrBefore', () => {
  const a = formatOffset(10);
  const b = formatOffset(200);

  it('orders concrete offsets, inclusive of equality', () => {
    expect(offsetAtOrBefore(a, b)).toBe(true);
    expect(offsetAtOrBefore(b, a)).toBe(false);
    expect(offsetAtOrBefore(a, a)).toBe(true);
  });

  it('places -1 before everything, including another -1', () => {
    expect(offsetAtOrBefore(BEGINNING_OFFSET, a)).toBe(true);
    expect(offsetAtOrBefore(BEGINNING_OFFSET, BEGINNING_OFFSET)).toBe(true);
    expect(offsetAtOrBefore(a, BEGINNING_OFFSET)).toBe(false);
    expect(offsetAtOrBefore(formatOffset(0), BEGINNING_OFFSET)).toBe(false);
  });
});
