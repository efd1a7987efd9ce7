import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** Liveness: an action that fell due and was never performed by the end of the run (after the quiet period). */
export function missedAction(history: RunHistory): Violation[] {
  const performed = new Set<string>();
  for (const event of history.events) {
    if (event.kind === 'action-performed' && !event.annotation) performed.add(`${String(event.detail['entity'])} ${String(event.detail['action'])}`);
  }
  return history.expectedActions
    .filter((action) => !performed.has(`${action.entity} ${action.action}`))
    .map((action) => ({
      property: 'missed-action' as const,
      message: `${action.entity} ${action.action} (due at ${action.dueAtMs} ms) was never performed`,
      step: history.steps,
      atMs: history.endMs,
    }));
}
