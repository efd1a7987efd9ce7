import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** Safety: the same external side effect (entity, action) performed more than once, as the outside world saw it. */
export function duplicateAction(history: RunHistory): Violation[] {
  const seen = new Map<string, number>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.kind !== 'action-performed' || event.annotation) return;
    const key = `${String(event.detail['entity'])} ${String(event.detail['action'])}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 2) {
      violations.push({ property: 'duplicate-action', message: `${key} performed twice (second by ${String(event.detail['peer'])})`, step: event.step, atMs: event.atMs, eventIndex });
    }
  });
  return violations;
}
