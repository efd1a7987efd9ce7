import { fromTransition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { ModelConfig } from '../modelConfig.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { ComposedModel, stateName, violationTags } from '../composedModel.ts';
import type { DigestEntityContext } from '../digestEntity.ts';
import type { ModelEvent } from '../modelEvents.ts';
import { candidateEvents, type CheckedProperty } from './candidateEvents.ts';
import { serializeCheckState, type CheckBounds, type CheckBudget, type CheckState } from './CheckState.ts';

/**
 * The bounds `models check` uses: one occurrence, one other message, two host processes, two wakes and wake events, two
 * preload failures, one crash and one redeploy when those faults are enabled.
 */
export const DEFAULT_CHECK_BOUNDS: CheckBounds = {
  processes: 2,
  wakeAppends: 2,
  wakes: 2,
  occurrences: 1,
  preloadFailures: 2,
  crashes: 1,
  redeploys: 1,
  messages: 1,
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
  messages: 0,
  live: undefined,
  pending: false,
  finalHeartbeatStored: false,
};

function spend(budget: CheckBudget, state: CheckState, event: ModelEvent): CheckBudget {
  switch (event.type) {
    case 'PROCESS_START':
      return { ...budget, processes: budget.processes + 1, live: event.process, finalHeartbeatStored: false };
    case 'PROCESS_EXIT':
      // A wake that dies with its process was never acked: its lease expires and the work is still pending.
      return { ...budget, live: undefined, crashes: budget.crashes + (event.reason === 'crash' ? 1 : 0), pending: budget.pending || state.model.active !== undefined };
    case 'MESSAGE':
      return { ...budget, messages: budget.messages + 1, pending: true };
    case 'WAKE_ABANDONED':
      return { ...budget, pending: true };
    case 'WAKE_APPENDED':
      return { ...budget, wakeAppends: budget.wakeAppends + 1 };
    case 'WAKE_START':
      return { ...budget, wakes: budget.wakes + 1, pending: false };
    case 'OCCURRENCE_DUE':
      return { ...budget, occurrences: budget.occurrences + 1, pending: true };
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
 * Whether a state shows the property's violation (`hang` is judged on the traversal's edges instead): a violation state
 * of the model, or for `missed-action` a quiescent
 * state (no pending work, no wake running, no post on its way) in which a due occurrence was never posted.
 */
export function violates(property: Exclude<CheckedProperty, 'hang'>, state: CheckState): boolean {
  if (property !== 'missed-action') return violationTags(state.model).has(property);
  if (state.budget.pending || state.model.active) return false;
  const entity = state.model.entity.context as DigestEntityContext;
  return entity.postIntent === undefined && entity.due.some((occurrence) => (entity.posts[occurrence] ?? 0) === 0);
}

/**
 * Bounded model checking of one property under one configuration: xstate/graph's shortest-path traversal over the
 * composed model, driven by {@link candidateEvents} and limited by {@link CheckBounds}. Reachable means some event
 * sequence the model accepts within the bounds ends in a state tagged with the property.
 */
export function checkReachability(
  config: ModelConfig,
  property: CheckedProperty,
  faults: readonly FaultKind[],
  bounds: CheckBounds = DEFAULT_CHECK_BOUNDS,
): Reachability {
  const model = new ComposedModel({ ...config }, faults);
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
  // A hang is a wake in progress that no event the model accepts can move on (a deadlock of the wake).
  const reached = (state: CheckState): boolean =>
    property === 'hang' ? state.model.active !== undefined && next(state).size === 0 : violates(property, state);

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
