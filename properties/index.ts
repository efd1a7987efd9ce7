import { duplicateAction } from './duplicateAction.ts';
import { hang } from './hang.ts';
import { hermetic } from './hermetic.ts';
import { missedAction } from './missedAction.ts';
import { modelConformance } from './modelConformance.ts';
import type { RunHistory } from './RunHistory.ts';
import { unwiredResolve } from './unwiredResolve.ts';
import type { PropertyName, Violation } from './Violation.ts';
import { wakeReplay } from './wakeReplay.ts';

export { PROPERTY_NAMES, type PropertyName, type Violation } from './Violation.ts';
export type { ExpectedAction, RunHistory, WorldEndState } from './RunHistory.ts';

/** The oracles over a run's history, by property name (model conformance is judged separately, after them). */
export const ORACLES: Readonly<Record<Exclude<PropertyName, 'model-conformance'>, (history: RunHistory) => Violation[]>> = {
  'duplicate-action': duplicateAction,
  'missed-action': missedAction,
  'unwired-resolve': unwiredResolve,
  'wake-replay': wakeReplay,
  hang,
  hermetic,
};

/**
 * Runs every oracle, then checks the run against the models (which must also agree with the oracles). Violations come
 * out in the order of {@link PROPERTY_NAMES}, each oracle's in trace order.
 */
export function judge(history: RunHistory): Violation[] {
  const violations = Object.values(ORACLES).flatMap((oracle) => oracle(history));
  return [...violations, ...modelConformance(history, new Set(violations.map((violation) => violation.property)))];
}
