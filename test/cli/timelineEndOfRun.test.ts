import { describe, expect, it } from 'vitest';
import { formatTimeline, timelineRows } from '../../cli/format/timeline.ts';
import type { Violation } from '../../properties/index.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

const events: TraceEvent[] = [
  { step: 0, atMs: 0, actor: 'host#1', kind: 'process-start', detail: {} },
  { step: 3, atMs: 60_000, actor: 'cron', kind: 'cron-tick', detail: { schedule: 'daily-digest', tick: 0 } },
];
/** Judged at the end of the run: no event of its own. */
const stuck: Violation = { property: 'stuck-claim', message: 'claim of wake w1 active with no live wake', step: 9, atMs: 530_048 };

describe('a text timeline', () => {
  it('closes with a row of the judge for each violation judged at the end of the run, at its step and time', () => {
    const lines = formatTimeline(timelineRows(events, [stuck]), events, 120, [stuck]);
    expect(lines.at(-1)).toMatch(/^! \s*\+8:50\.048 #9\s+│\s+│ judge\s+end of run  <== stuck-claim$/);
    // Without the violations, as before: the last row is the last event.
    expect(formatTimeline(timelineRows(events, [stuck]), events, 120).at(-1)).toContain('cron-tick');
  });
});
