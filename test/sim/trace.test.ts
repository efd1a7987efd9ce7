import { describe, expect, it } from 'vitest';
import { Trace } from '../../sim/trace/Trace.ts';

const clock = { steps: 0, nowMs: 0 };

describe('Trace', () => {
  it('hashes the same events to the same hash and different ones differently', () => {
    const make = (detail: number): string => {
      const trace = new Trace(clock);
      trace.record('a', 'kind', { n: 1 });
      trace.record('b', 'other', { n: detail });
      return trace.hash();
    };
    expect(make(2)).toBe(make(2));
    expect(make(2)).not.toBe(make(3));
    expect(make(2)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('includes step and time in the hash', () => {
    const at = (steps: number, nowMs: number): string => {
      const trace = new Trace({ steps, nowMs });
      trace.record('a', 'kind');
      return trace.hash();
    };
    expect(at(1, 5)).not.toBe(at(2, 5));
    expect(at(1, 5)).not.toBe(at(1, 6));
  });

  it('is sealed once hashed', () => {
    const trace = new Trace(clock);
    trace.record('a', 'kind');
    const hash = trace.hash();
    expect(trace.hash()).toBe(hash);
    expect(() => trace.record('a', 'late')).toThrow(/sealed/);
  });
});
