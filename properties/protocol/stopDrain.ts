import { HandlerSpans } from '../observed/handlerSpans.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/**
 * A graceful stop drains its in-flight wakes (semantics.md §1, §6): a process whose graceful stop ended (its
 * `process-exit` with reason `graceful`: the platform ended it because its stop resolved; one that rejected died) while
 * a handler it ran was still running, less than {@link RUNTIME_RULES.stopDrainMinMs} after its SIGTERM, did not wait
 * for that handler. A stop may give up on a handler that ignores its abort (a stalled one), but not sooner than that
 * allowance; an exit once the platform's grace period ran out, or a death, is no graceful end and is not judged.
 *
 * Judged from the platform's observations (`sigterm`, `process-exit`) and the scenario's own probes (`handler-start`,
 * `handler-end`, recorded by the entity code as the process it runs in), never from the runtime's annotations. One
 * violation per process, at its exit, naming the first handler still open.
 */
export function stopDrain(history: RunHistory): Violation[] {
  const sigtermAtMs = new Map<string, number>();
  const spans = new HandlerSpans();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    spans.observe(event);
    if (event.annotation) return;
    switch (event.kind) {
      case 'sigterm':
        if (!sigtermAtMs.has(event.actor)) sigtermAtMs.set(event.actor, event.atMs);
        return;
      case 'process-exit': {
        const stoppedAtMs = sigtermAtMs.get(event.actor);
        if (event.detail['reason'] !== 'graceful' || stoppedAtMs === undefined) return;
        const first = spans.openIn(event.actor)[0];
        const drainedMs = event.atMs - stoppedAtMs;
        if (!first || drainedMs >= RUNTIME_RULES.stopDrainMinMs) return;
        violations.push({
          property: 'protocol',
          message:
            `stop drain: ${event.actor} ended its graceful stop ${drainedMs} ms after its SIGTERM while the handler of ${first.entity} ` +
            `(wake ${first.wakeId}, started at ${first.startedAtMs} ms) still ran (a drain gives a running handler at least ${RUNTIME_RULES.stopDrainMinMs} ms)`,
          step: event.step,
          atMs: event.atMs,
          eventIndex,
        });
        return;
      }
    }
  });
  return violations;
}
