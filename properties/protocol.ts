import { ackRegression } from './protocol/ackRegression.ts';
import { claimAfterStop } from './protocol/claimAfterStop.ts';
import { claimRetryStorm } from './protocol/claimRetryStorm.ts';
import { heartbeatRate } from './protocol/heartbeatRate.ts';
import { inputReplay } from './protocol/inputReplay.ts';
import { readAfterStop } from './protocol/readAfterStop.ts';
import { renewalAfterRefusal } from './protocol/renewalAfterRefusal.ts';
import { reconnectBackoff } from './protocol/reconnectBackoff.ts';
import { stopDrain } from './protocol/stopDrain.ts';
import { worldTiming } from './observed/worldTiming.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * The rules of semantics.md §1 a runtime must honour, checked at the servers: at most one heartbeat per 2 s per
 * runner process, reconnects and failed claims that back off, no claim and no wake-stream read after a graceful stop
 * began, no renewal of a wake after a final refusal of it, a graceful stop that drains the handlers it ran (judged from
 * the platform and the scenario's probes), acked offsets that never move backwards, and handlers given no input their
 * subscription had already consumed when their wake was claimed. Each violation's message starts with the rule it
 * breaks; violations come out in trace order.
 */
export function protocol(history: RunHistory): Violation[] {
  const timing = worldTiming(history.events);
  const found = [...heartbeatRate(history, timing), ...reconnectBackoff(history, timing), ...claimAfterStop(history, timing), ...claimRetryStorm(history), ...renewalAfterRefusal(history, timing), ...readAfterStop(history, timing), ...stopDrain(history), ...ackRegression(history), ...inputReplay(history)];
  return found.sort((a, b) => (a.eventIndex ?? Infinity) - (b.eventIndex ?? Infinity));
}
