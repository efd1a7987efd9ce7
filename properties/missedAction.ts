import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** Liveness: an occurrence that fell due and was never performed by the end of the run (after the quiet period). */
export function missedAction(history: RunHistory): Violation[] {
  const performed = new Set<string>();
  for (const event of history.events) {
    if (event.kind === 'action-performed') performed.add(`${String(event.detail['entity'])}#${String(event.detail['occurrence'])}`);
  }
  return history.expectedActions
    .filter((action) => !performed.has(`${action.entity}#${action.occurrence}`))
    .map((action) => ({
      property: 'missed-action' as const,
      message: `${action.entity} occurrence ${action.occurrence} (due at ${action.dueAtMs} ms) was never performed`,
      step: history.steps,
      atMs: history.endMs,
    }));
}
