import { duplicateAction } from './duplicateAction.ts';
import { hang } from './hang.ts';
import { missedAction } from './missedAction.ts';
import type { RunHistory } from './RunHistory.ts';
import { unwiredResolve } from './unwiredResolve.ts';
import type { PropertyName, Violation } from './Violation.ts';
import { wakeReplay } from './wakeReplay.ts';

export { PROPERTY_NAMES, type PropertyName, type Violation } from './Violation.ts';
export type { ExpectedAction, PendingWork, RunHistory } from './RunHistory.ts';

/** Every oracle by property name. */
export const ORACLES: Readonly<Record<PropertyName, (history: RunHistory) => Violation[]>> = {
  'duplicate-action': duplicateAction,
  'missed-action': missedAction,
  'unwired-resolve': unwiredResolve,
  'wake-replay': wakeReplay,
  hang,
};

/** Runs every oracle; violations come out in the order of {@link PROPERTY_NAMES}, each oracle's in trace order. */
export function judge(history: RunHistory): Violation[] {
  return Object.values(ORACLES).flatMap((oracle) => oracle(history));
}
