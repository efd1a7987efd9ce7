import { describe, expect, it } from 'vitest';
import { formatTimeline, timelineRows } from '../../cli/format/timeline.ts';
import type { Violation } from '../../properties/index.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** A process that records the same event 1,000 times in a row (a loop in microtasks), then one more event. */
const spin: TraceEvent[] = [
  { step: 0, atMs: 0, actor: 'host#1', kind: 'process-start', detail: {} },
  ...Array.from({ length: 1_000 }, (): TraceEvent => ({ step: 1, atMs: 5, actor: 'host#1', kind: 'spin', detail: { turn: 'again' } })),
  { step: 2, atMs: 6, actor: 'host#1', kind: 'process-exit', detail: { reason: 'crash' } },
];

describe('a text timeline of a run that repeats itself', () => {
  it('shows a long run of alike rows by its first three, a count and its last', () => {
    const lines = formatTimeline(timelineRows(spin, [], true), spin, 120);
    expect(lines.filter((line) => line.includes(' spin ')).length).toBe(4);
    expect(lines.filter((line) => line.includes('⋮ 996 more rows alike (host#1 spin, the same details)'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('process-exit');
  });

  it('never hides a marked row: a violation inside the run splits it', () => {
    const violation: Violation = { property: 'hang', message: 'a loop in microtasks', step: 1, atMs: 5, eventIndex: 500 };
    const lines = formatTimeline(timelineRows(spin, [violation], true), spin, 120, [violation]);
    expect(lines.filter((line) => line.startsWith('! ') && line.includes('spin'))).toHaveLength(1);
    // 499 alike rows before it (3 shown, 495 hidden, the last), 500 after it (3 shown, 496 hidden, the last).
    expect(lines.filter((line) => line.includes('⋮ 495 more rows alike'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('⋮ 496 more rows alike'))).toHaveLength(1);
  });

  it('keeps short runs whole', () => {
    const short = spin.slice(0, 9).concat(spin.slice(-1));
    expect(formatTimeline(timelineRows(short, [], true), short, 120).some((line) => line.includes('⋮'))).toBe(false);
  });
});
