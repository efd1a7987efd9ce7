import { ackRegression } from './protocol/ackRegression.ts';
import { claimAfterStop } from './protocol/claimAfterStop.ts';
import { claimRetryStorm } from './protocol/claimRetryStorm.ts';
import { heartbeatRate } from './protocol/heartbeatRate.ts';
import { heartbeatSilence } from './protocol/heartbeatSilence.ts';
import { inputReplay } from './protocol/inputReplay.ts';
import { manifestCommit } from './protocol/manifestCommit.ts';
import { readAbandoned } from './protocol/readAbandoned.ts';
import { readAfterStop } from './protocol/readAfterStop.ts';
import { renewalAfterRefusal } from './protocol/renewalAfterRefusal.ts';
import { renewalSchedule } from './protocol/renewalSchedule.ts';
import { reconnectBackoff } from './protocol/reconnectBackoff.ts';
import { reconnectReset } from './protocol/reconnectReset.ts';
import { stopDrain } from './protocol/stopDrain.ts';
import { undoneWake } from './protocol/undoneWake.ts';
import { wiringAfterStop } from './protocol/wiringAfterStop.ts';
import { worldTiming } from './observed/worldTiming.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * The rules of semantics.md §1 a runtime must honour, checked at the servers: at most one heartbeat per 2 s per runner
 * process and at least one every 30 s, reconnects and failed claims that back off (the reconnect backoff starting again
 * after a success), held wake-stream reads given up only for a reason, no claim and no wake-stream read after a
 * graceful stop began, no renewal of a wake after a final refusal of it, renewals of a running wake on the schedule the
 * runtime promises (where it declares one: `RuntimeUnderTest.leaseRenewal`), a graceful stop that drains the handlers
 * it ran (judged from the platform and the scenario's probes) and aborts its wakes (no preload retried once the stop
 * aborted them), acked offsets that never move backwards, handlers given no input their subscription had already
 * consumed when their wake was claimed, a manifest commit before the done of a wake whose handler returned, and a done
 * for every wake a handler ran. Each violation's message starts with the rule it breaks; violations come out in trace
 * order (those judged at the end of the run last).
 */
export function protocol(history: RunHistory): Violation[] {
  const timing = worldTiming(history.events);
  const found = [...heartbeatRate(history, timing), ...heartbeatSilence(history, timing), ...reconnectBackoff(history, timing), ...reconnectReset(history, timing), ...claimAfterStop(history, timing), ...claimRetryStorm(history), ...renewalAfterRefusal(history, timing), ...renewalSchedule(history, timing), ...readAfterStop(history, timing), ...readAbandoned(history, timing), ...stopDrain(history), ...wiringAfterStop(history, timing), ...ackRegression(history), ...inputReplay(history), ...manifestCommit(history), ...undoneWake(history)];
  return found.sort((a, b) => (a.eventIndex ?? Infinity) - (b.eventIndex ?? Infinity));
}
