import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * `observe(db(...))` resolved with a handle whose backing collection is not wired, as the entity's own code saw it
 * (its `observe-resolved` probe: scenario code, not the runtime's report of itself).
 */
export function unwiredResolve(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.kind !== 'observe-resolved' || event.annotation || event.detail['wired'] !== false) return;
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
