import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * No host process dies of its own error: a promise of its code rejected with nobody handling it, or an exception
 * thrown out of one of its callbacks. Node ends such a process (exit status 1), so in production every one is a crash
 * the platform restarts from cold, with whatever it held in memory lost. Judged from what the platform saw, the
 * process's exit and its cause (world/process/SimProcess.ts), not from anything the runtime says; a process killed
 * by a fault or stopped by a deploy is no violation.
 */
export function uncaughtError(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation || event.kind !== 'process-exit' || event.detail['cause'] === undefined) return;
    violations.push({
      property: 'uncaught-error',
      message: `${event.actor} died of an ${String(event.detail['cause'])} its code never handled: ${String(event.detail['error'])}`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
