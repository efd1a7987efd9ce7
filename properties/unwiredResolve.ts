import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** `observe(db(...))` resolved with a handle whose backing collection is not wired (as the entity saw it). */
export function unwiredResolve(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.kind !== 'observe-resolved' || event.detail['wired'] !== false) return;
    violations.push({
      property: 'unwired-resolve',
      message: `observe(db("${String(event.detail['sharedId'])}")) resolved unwired in ${event.actor} (wake ${String(event.detail['wakeId'])})`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
