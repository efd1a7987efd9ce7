import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** Event kinds left out of a story: bookkeeping that does not move it forward. */
const HIDDEN_KINDS = new Set(['step', 'run-start', 'run-end', 'lease-extended', 'acks-applied']);

/**
 * True for the events a person reads in a story: everything but scheduler steps and routine traffic — heartbeats
 * that were stored, and live reads that timed out with nothing to say.
 */
export function isStoryEvent(event: TraceEvent): boolean {
  if (HIDDEN_KINDS.has(event.kind)) return false;
  if (event.kind === 'heartbeat' && event.detail['ok'] === true) return false;
  if (event.kind === 'heartbeat-received' && event.detail['status'] === 204) return false;
  if (event.kind === 'stream-read' && event.detail['status'] === 204) return false;
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
