import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';
import type { Violation } from '../../properties/index.ts';
import { formatVirtualTime } from './time.ts';

/** Event kinds left out of a story: bookkeeping that does not move it forward (heartbeats are routine). */
const HIDDEN_KINDS = new Set(['step', 'run-start', 'run-end', 'heartbeat-stored']);

/** True for the events a person reads in a story: everything but scheduler steps and routine heartbeats. */
export function isStoryEvent(event: TraceEvent): boolean {
  if (HIDDEN_KINDS.has(event.kind)) return false;
  if (event.kind === 'heartbeat' && event.detail['ok'] === true) return false;
  return true;
}

/** The injected faults a run contains, as `kind ×count`, in order of first appearance. */
export function faultsInRun(events: readonly TraceEvent[]): string[] {
  const counts = new Map<string, number>();
  for (const event of events) {
    if (event.kind !== 'fault') continue;
    const kind = String(event.detail['kind']);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => `${kind} ×${count}`);
}

/**
 * The timeline of a run, one event a line: virtual time, step, actor, event and its details, with the events that
 * show a violation marked. `all` includes scheduler steps and heartbeats.
 */
export function formatStory(events: readonly TraceEvent[], violations: readonly Violation[], all = false): string[] {
  const marks = new Map<number, string[]>();
  for (const violation of violations) {
    if (violation.eventIndex === undefined) continue;
    marks.set(violation.eventIndex, [...(marks.get(violation.eventIndex) ?? []), violation.property]);
  }
  const lines: string[] = [];
  events.forEach((event, index) => {
    if (!all && !isStoryEvent(event) && !marks.has(index)) return;
    const mark = marks.get(index);
    const details = Object.entries(event.detail).map(([key, value]) => `${key}=${formatValue(value)}`).join(' ');
    const line = `${formatVirtualTime(event.atMs)}  #${String(event.step).padEnd(4)} ${event.actor.padEnd(16)} ${event.kind}  ${details}`;
    lines.push(mark ? `${line}   <== ${mark.join(', ')}` : line);
  });
  return lines;
}

function formatValue(value: TraceValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
