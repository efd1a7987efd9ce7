// A property of the user's own: the chat saw each reminder within a bound of its due time.
import type { PropertyDefinition, Violation } from 'wake-sim';

/** A reminder posted later than this after it fell due is late. */
const LATE_AFTER_MS = 20_000;

export const lateReminder: PropertyDefinition = {
  name: 'late-reminder',
  kind: 'safety',
  summary: `a reminder the chat saw more than ${LATE_AFTER_MS / 1_000} s after it fell due`,
  judge(history) {
    const dueAtMs = new Map(history.expectedActions.map((action) => [`${action.entity} ${action.action}`, action.dueAtMs]));
    const violations: Violation[] = [];
    history.events.forEach((event, eventIndex) => {
      if (event.kind !== 'action-performed' || event.annotation) return;
      const key = `${String(event.detail['entity'])} ${String(event.detail['action'])}`;
      const due = dueAtMs.get(key);
      if (due === undefined || event.atMs - due <= LATE_AFTER_MS) return;
      violations.push({ property: 'late-reminder', message: `${key} posted ${event.atMs - due} ms after it fell due`, step: event.step, atMs: event.atMs, eventIndex });
    });
    return violations;
  },
};
