import { fromTransition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { RuntimeConfig } from '../../runtime/config.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { ComposedModel, stateName, violationTags } from '../composedModel.ts';
import type { ModelEvent } from '../modelEvents.ts';
import { candidateEvents, type CheckedProperty } from './candidateEvents.ts';
import { serializeCheckState, type CheckBounds, type CheckBudget, type CheckState } from './CheckState.ts';

/** The bounds `models check` uses: one occurrence, two host processes, two wakes and wake events, two preload failures. */
export const DEFAULT_CHECK_BOUNDS: CheckBounds = {
  processes: 2,
  wakeAppends: 2,
  wakes: 2,
  occurrences: 1,
  preloadFailures: 2,
  crashes: 1,
  redeploys: 1,
};

/** A safety net on the traversal: the bounds keep every search far below it. */
const MAX_STATES = 200_000;

/** The answer for one configuration and property. */
export interface Reachability {
  readonly property: CheckedProperty;
  readonly reachable: boolean;
  /** The shortest event path to a state with the violation (empty when unreachable). */
  readonly path: readonly ModelEvent[];
  /** States the bounded traversal visited. */
  readonly statesExplored: number;
}

const EMPTY_BUDGET: CheckBudget = {
  processes: 0,
  wakeAppends: 0,
  wakes: 0,
  occurrences: 0,
  preloadFailures: 0,
  crashes: 0,
  redeploys: 0,
  live: undefined,
  finalHeartbeatStored: false,
};

function spend(budget: CheckBudget, state: CheckState, event: ModelEvent): CheckBudget {
  switch (event.type) {
    case 'PROCESS_START':
      return { ...budget, processes: budget.processes + 1, live: event.process, finalHeartbeatStored: false };
    case 'PROCESS_EXIT':
      return { ...budget, live: undefined, crashes: budget.crashes + (event.reason === 'crash' ? 1 : 0) };
    case 'WAKE_APPENDED':
      return { ...budget, wakeAppends: budget.wakeAppends + 1 };
    case 'WAKE_START':
      return { ...budget, wakes: budget.wakes + 1 };
    case 'OCCURRENCE_DUE':
      return { ...budget, occurrences: budget.occurrences + 1 };
    case 'PRELOAD_FAILED':
      return { ...budget, preloadFailures: budget.preloadFailures + 1 };
    case 'RUNNER_STATE':
      return event.state === 'stopping' ? { ...budget, redeploys: budget.redeploys + 1 } : budget;
    case 'HEARTBEAT_STORED': {
      const runner = state.model.runners.find(([process]) => process === budget.live)?.[1];
      return runner && stateName(runner) === 'stopping' ? { ...budget, finalHeartbeatStored: true } : budget;
    }
    default:
      return budget;
  }
}

/**
 * Bounded model checking of one property under one configuration: xstate/graph's shortest-path traversal over the
 * composed model, driven by {@link candidateEvents} and limited by {@link CheckBounds}. Reachable means some event
 * sequence the model accepts within the bounds ends in a state tagged with the property.
 */
export function checkReachability(
  config: RuntimeConfig,
  property: CheckedProperty,
  faults: readonly FaultKind[],
  bounds: CheckBounds = DEFAULT_CHECK_BOUNDS,
): Reachability {
  const model = new ComposedModel(config);
  const faultSet = new Set(faults);
  const successors = new Map<string, Map<string, CheckState>>();
  const eventKey = (event: ModelEvent): string => JSON.stringify(event);

  /** Accepted successors of a state, computed once per state. */
  const next = (state: CheckState): Map<string, CheckState> => {
    const key = serializeCheckState(state);
    let known = successors.get(key);
    if (known) return known;
    known = new Map();
    for (const event of candidateEvents(property, state, bounds, faultSet)) {
      const result = model.step(state.model, event);
      if (result.state) known.set(eventKey(event), { model: result.state, budget: spend(state.budget, state, event) });
    }
    successors.set(key, known);
    return known;
  };
  const reached = (state: CheckState): boolean => violationTags(state.model).has(property);

  const initial: CheckState = { model: model.initial(), budget: EMPTY_BUDGET };
  const logic = fromTransition((state: CheckState, event: ModelEvent) => next(state).get(eventKey(event)) ?? state, initial);
  const paths = getShortestPaths(logic, {
    events: (snapshot) => {
      const state = snapshot.context;
      if (reached(state)) return [];
      return [...next(state).keys()].map((key) => JSON.parse(key) as ModelEvent);
    },
    serializeState: (snapshot) => serializeCheckState(snapshot.context),
    serializeEvent: (event) => eventKey(event as ModelEvent),
    toState: (snapshot) => reached(snapshot.context),
    limit: MAX_STATES,
  });
  const shortest = paths.sort((a, b) => a.steps.length - b.steps.length)[0];
  return {
    property,
    reachable: shortest !== undefined,
    path: shortest ? shortest.steps.map((step) => step.event as ModelEvent).filter((event) => !event.type.startsWith('xstate.')) : [],
    statesExplored: successors.size,
  };
}
