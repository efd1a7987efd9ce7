import { concurrentWake, WORLD_CAUSES } from './concurrentWake.ts';
import { parseViolationKind } from './violationKind.ts';
import { deafRunner } from './deafRunner.ts';
import { duplicateAction } from './duplicateAction.ts';
import { hang } from './hang.ts';
import { hermetic } from './hermetic.ts';
import { missedAction } from './missedAction.ts';
import { lostWork } from './lostWork.ts';
import { modelConformance } from './modelConformance.ts';
import { protocol } from './protocol.ts';
import { staleRead } from './staleRead.ts';
import { registerProperty, registeredProperties } from './registry.ts';
import type { RunHistory } from './RunHistory.ts';
import { stuckClaim } from './stuckClaim.ts';
import { uncaughtError } from './uncaughtError.ts';
import { unackedWork } from './unackedWork.ts';
import { unwiredResolve } from './unwiredResolve.ts';
import type { Violation } from './Violation.ts';
import { wakeReplay } from './wakeReplay.ts';

export type { PropertyName, Violation } from './Violation.ts';
export { parseViolationKind, violationKind } from './violationKind.ts';

/**
 * Whether a kind of failure (`property` or `property:cause`, as `explore --keep-going` lists them) is the world's doing
 * by its cause (properties/concurrentWake.ts, {@link WORLD_CAUSES}): no evidence against a runtime on its own.
 */
export function isWorldCausedKind(kind: string): boolean {
  const { property, cause } = parseViolationKind(kind);
  return hasWorldCauses(property) && cause !== undefined && WORLD_CAUSES.has(cause as never);
}

/** Whether some violations of `property` may name a cause that is the world's doing ({@link isWorldCausedKind}). */
export function hasWorldCauses(property: string): boolean {
  return property === 'concurrent-wake';
}
export type { ActiveClaimAtEnd, ExpectedAction, RunHistory, WorldEndState } from './RunHistory.ts';
export { getProperty, propertyNames, registeredProperties, registerProperty, PropertyRegistryError, type PropertyDefinition } from './registry.ts';

/** Options of {@link judge}. */
export interface JudgeOptions {
  /** Properties not to judge (the throughput bench prices model conformance by leaving it out). */
  readonly skip?: readonly string[];
}

/**
 * Judges a run by every registered property, in registration order; each sees which earlier ones the run violated.
 * Violations come out in property order, each property's in trace order.
 */
export function judge(history: RunHistory, options: JudgeOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const verdicts = new Set<string>();
  for (const property of registeredProperties()) {
    if (options.skip?.includes(property.name)) continue;
    const found = property.judge(history, verdicts);
    violations.push(...found);
    if (found.length > 0) verdicts.add(property.name);
  }
  return violations;
}

registerProperty({ name: 'duplicate-action', kind: 'safety', summary: 'the same external action performed twice, as the outside world saw it', judge: duplicateAction });
registerProperty({ name: 'missed-action', kind: 'liveness', summary: 'an action that fell due never performed by the end of the run', judge: missedAction });
registerProperty({ name: 'unwired-resolve', kind: 'safety', summary: "observe(db(...)) resolved with an unwired handle, as the entity's code saw it", judge: unwiredResolve });
registerProperty({ name: 'wake-replay', kind: 'safety', summary: 'a wake an earlier runner had processed served again to a later one', judge: wakeReplay });
registerProperty({ name: 'hang', kind: 'liveness', summary: 'an entity handler that never ends, or the step or trace budget exhausted', judge: hang });
registerProperty({ name: 'lost-work', kind: 'safety', summary: 'an item of a linked stream acked unseen, or never given to a handler by the end', judge: lostWork });
registerProperty({ name: 'concurrent-wake', kind: 'safety', summary: 'two wakes of one entity running at the same time', judge: concurrentWake });
registerProperty({ name: 'stuck-claim', kind: 'liveness', summary: 'a claim still active at the end with no live wake: its entity left running', judge: stuckClaim });
registerProperty({ name: 'deaf-runner', kind: 'liveness', summary: 'a live host not reading its wake stream, past any backoff, while wakes wait', judge: deafRunner });
registerProperty({ name: 'uncaught-error', kind: 'safety', summary: 'a host process died of an error its own code never handled (Node ends it)', judge: uncaughtError });
registerProperty({ name: 'protocol', kind: 'safety', summary: 'heartbeat rate and interval, backoffs, reads given up only for a reason, renewals on a declared schedule, nothing claimed or read after SIGTERM, drain, no backwards ack, no input replay, a done per wake', judge: protocol });
registerProperty({ name: 'stale-read', kind: 'safety', summary: 'a wake that began after its entity recorded a row did not find it: its state was older than its own writes', judge: staleRead });
registerProperty({ name: 'unacked-work', kind: 'liveness', summary: 'an item of a linked stream a handler was given, never acked by the end: its entity woken for it again and again', judge: unackedWork });
registerProperty({ name: 'hermetic', kind: 'run', summary: 'nothing inside the run reached real time, randomness or the network', judge: hermetic });
registerProperty({ name: 'model-conformance', kind: 'run', summary: 'the run conforms to the executable models, which agree with the other properties', judge: modelConformance });
