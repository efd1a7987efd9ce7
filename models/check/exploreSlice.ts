import { fromTransition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { ModelObserver } from '../coverage/ModelCoverage.ts';
import { ComposedModel, violationTags, type ComposedState } from '../composedModel.ts';
import type { ModelConfig } from '../modelConfig.ts';
import { missedOccurrences, type DigestEntityContext } from '../system/digestEntity.ts';
import { CHECK_SLICES, type CheckedProperty, type SliceName } from './checkSlices.ts';
import { EMPTY_BUDGET, serializeCheckState, type CheckBounds, type CheckState, type CheckStep } from './CheckState.ts';
import { issuedWake, runnerSliceSteps, serverRunnerOf, wakeStreamOf } from './runnerSliceSteps.ts';
import { spendBudget } from './spendBudget.ts';
import { ENVIRONMENT_EVENTS, wakeSliceSteps } from './wakeSliceSteps.ts';

/** A safety net on a traversal: the bounds keep every search far below it. */
const MAX_STATES = 400_000;

/** What can go wrong that a traversal looks for: a checked property, or a wake event lost for good. */
export type SliceTarget = CheckedProperty | 'wake-lost';

/** The shortest path to each target a traversal reached. */
export interface SliceExploration {
  readonly slice: SliceName;
  readonly paths: ReadonlyMap<SliceTarget, readonly CheckStep[]>;
  readonly statesExplored: number;
}

/** What a traversal of the wake slice takes from the runner slice. */
export interface SliceOptions {
  readonly wakesMayBeLost: boolean;
  /** Told every transition the traversal's model steps take (for the transitions reachable in a configuration). */
  readonly observer?: ModelObserver;
}

/**
 * A quiescent state owing an action: no work pending, no wake, lease or post under way, and a due occurrence never
 * posted. A run may end here (its quiet period brings no new work), so the action is missed.
 */
function missesAnAction(state: CheckState): boolean {
  const { model, budget } = state;
  // A wake event lost for good blocks the subscription: work that arrives after it never gets a wake either.
  if ((budget.pending && !budget.stuck) || model.active || model.wakeStream.matches({ lease: 'leased' })) return false;
  const entity = model.entity.context as DigestEntityContext;
  return entity.postIntent === undefined && entity.handler === undefined && missedOccurrences(entity).length > 0;
}

/**
 * A wake event lost for good: a wake is issued and nobody holds it, no claim for it is on the wire, and the live
 * runner, reading its wake stream, will never claim it — it lies before where the runner started, or it was served and
 * its claim was dropped. The service issues no other wake while this one is outstanding, so the subscription is stuck.
 */
export function losesAWake(state: CheckState): boolean {
  const { budget } = state;
  const live = budget.live;
  const wake = issuedWake(state);
  if (!live || !budget.reader || wake === undefined || !serverRunnerOf(state, live)?.matches('reading')) return false;
  if (budget.claimsInFlight.some((claim) => claim.endsWith(` ${wake}`))) return false;
  const reader = wakeStreamOf(state).readers.find((candidate) => candidate.process === live);
  if (!reader) return false;
  if (reader.served.some((served) => served.offset === wake)) return budget.reader.dropped.includes(wake);
  return reader.start !== '-1' && wake <= reader.start;
}

/**
 * Explores one slice of the composed model under one configuration, within the bounds, with xstate/graph's
 * shortest-path traversal, and returns the shortest path to every target it reached. States are the composed model's
 * state plus the environment's budget; a step is kept only when every machine that follows its events accepts them.
 */
export function exploreSlice(
  sliceName: SliceName,
  config: ModelConfig,
  faults: readonly FaultKind[],
  bounds: CheckBounds,
  options: SliceOptions = { wakesMayBeLost: false },
): SliceExploration {
  const slice = CHECK_SLICES[sliceName];
  // The runner slice runs the system models alone: what the runtime says about its reads only marks what it heard.
  // The wake slice admits a wake that outlives its lease whatever the runtime's lease switches (a conformance failure
  // of a runtime that neither renews nor fences): its traversal asks what the overrun leads to.
  const model = new ComposedModel({ ...config }, faults, {
    annotations: sliceName === 'wake' ? ['wiring-chain'] : [],
    admitLeaseOverrun: sliceName === 'wake',
    ...(options.observer ? { observer: options.observer } : {}),
  });
  const faultSet = new Set(faults);
  const successors = new Map<string, Map<string, { readonly step: CheckStep; readonly state: CheckState }>>();
  const stepKey = (step: CheckStep): string => JSON.stringify(step);
  // The traversal serialises each state several times; the states are shared objects, so once is enough.
  const keys = new WeakMap<CheckState, string>();
  const keyOf = (state: CheckState): string => {
    let key = keys.get(state);
    if (key === undefined) {
      key = serializeCheckState(state);
      keys.set(state, key);
    }
    return key;
  };

  /** Accepted successors of a state, by step, computed once per state. */
  const next = (state: CheckState): Map<string, { readonly step: CheckStep; readonly state: CheckState }> => {
    const key = keyOf(state);
    let known = successors.get(key);
    if (known) return known;
    known = new Map();
    const steps = sliceName === 'runner' ? runnerSliceSteps(state, bounds, faultSet) : wakeSliceSteps(state, bounds, { faults: faultSet, wakesMayBeLost: options.wakesMayBeLost });
    for (const step of steps) {
      let reached: ComposedState | undefined = state.model;
      for (const event of step) {
        if (event.type === 'WAKE_LOST') continue;
        reached = model.step(reached, event).state;
        if (!reached) break;
      }
      if (!reached) continue;
      const after: CheckState = { model: reached, budget: state.budget };
      known.set(stepKey(step), { step, state: { model: reached, budget: spendBudget(state.budget, state, step, after) } });
    }
    successors.set(key, known);
    return known;
  };

  /** A wake in progress that no step of its own can move on (only the environment can: a deadlock of the wake). */
  const hangs = (state: CheckState): boolean => state.model.active !== undefined && [...next(state).values()].every(({ step }) => ENVIRONMENT_EVENTS.has(step[0]!.type));
  /** A wake that hangs before posting the due occurrence never posts it: the run ends with the action missed too. */
  const missesWhileHung = (state: CheckState): boolean => {
    const entity = state.model.entity.context as DigestEntityContext;
    return entity.postIntent === undefined && missedOccurrences(entity).length > 0 && hangs(state);
  };
  const targets = new WeakMap<CheckState, SliceTarget[]>();
  const targetsOf = (state: CheckState): SliceTarget[] => {
    const known = targets.get(state);
    if (known) return known;
    const found: SliceTarget[] = [];
    const tags = violationTags(state.model);
    for (const property of slice.properties) {
      if (property === 'missed-action' ? missesAnAction(state) || missesWhileHung(state) : property === 'hang' ? hangs(state) : tags.has(property)) found.push(property);
    }
    if (sliceName === 'runner' && losesAWake(state)) found.push('wake-lost');
    targets.set(state, found);
    return found;
  };

  const initial: CheckState = { model: model.initial(), budget: EMPTY_BUDGET };
  const logic = fromTransition((state: CheckState, event: { type: string; step: CheckStep }) => next(state).get(stepKey(event.step))?.state ?? state, initial);
  const found = getShortestPaths(logic, {
    events: (snapshot) => [...next(snapshot.context).values()].map(({ step }) => ({ type: 'step', step })),
    serializeState: (snapshot) => keyOf(snapshot.context),
    serializeEvent: (event) => stepKey((event as { step: CheckStep }).step),
    toState: (snapshot) => targetsOf(snapshot.context).length > 0,
    // Go on past a target: one traversal answers every target of the slice, and one may lie beyond another.
    stopWhen: () => false,
    limit: MAX_STATES,
  });
  const paths = new Map<SliceTarget, CheckStep[]>();
  for (const path of found) {
    const steps = path.steps.filter((step) => !step.event.type.startsWith('xstate.')).map((step) => (step.event as { step: CheckStep }).step);
    for (const target of targetsOf(path.state.context)) {
      const known = paths.get(target);
      if (!known || steps.length < known.length) paths.set(target, steps);
    }
  }
  return { slice: sliceName, paths, statesExplored: successors.size };
}
