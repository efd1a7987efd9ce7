import { leakMessage, leakOfEvent } from '../sim/hermetic/LeakReport.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * Hermeticity: nothing inside the run reached real time, real randomness or the real network. Every leak the run's
 * hermetic globals recorded (sim/hermetic/) is a violation at the event that records it, naming the call and where it
 * came from.
 */
export function hermetic(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    const leak = leakOfEvent(event);
    if (leak) violations.push({ property: 'hermetic', message: leakMessage(leak), step: event.step, atMs: event.atMs, eventIndex });
  });
  return violations;
}
