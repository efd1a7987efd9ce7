import type { AnyMachineSnapshot, AnyTransitionDefinition } from 'xstate';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { DEFAULT_CHECK_BOUNDS } from '../check/checkReachability.ts';
import type { CheckBounds } from '../check/CheckState.ts';
import { exploreSlice } from '../check/exploreSlice.ts';
import type { ModelConfig } from '../modelConfig.ts';
import type { ModelObserver } from './ModelCoverage.ts';
import { MODEL_MACHINES } from '../composedModel.ts';
import { catalogTransitions, transitionId, type CatalogTransition } from './transitionCatalog.ts';

/** Records the transitions a traversal's model steps take, by catalog id. */
class TransitionSet implements ModelObserver {
  readonly ids = new Set<string>();

  transitionTaken(machine: string, definition: AnyTransitionDefinition): void {
    this.ids.add(transitionId(machine, definition));
  }

  stateEntered(_machine: string, _snapshot: AnyMachineSnapshot): void {}
}

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The transitions of the composed model that model checking can reach under one configuration and fault set: every
 * transition either traversal of `models check` takes (the runner slice, and the wake slice with wake loss allowed
 * where the runner slice finds it), within the check's bounds. It is the denominator of "coverage of what is
 * reachable": a transition outside it needs another switch value, another fault kind, or more than the bounds allow
 * (two processes, two wakes, one crash, one redeploy…). Machines no traversal moves (the runtime's `runnerLifecycle`)
 * are not in it; a run that takes one of their transitions shows it reachable anyway.
 */
export function reachableTransitions(config: ModelConfig, faults: readonly FaultKind[], bounds: CheckBounds = DEFAULT_CHECK_BOUNDS): ReadonlySet<string> {
  const key = `${config.wiring} ${config.offset} ${config.idempotency} ${JSON.stringify([...faults].sort())} ${JSON.stringify(bounds)}`;
  const known = cache.get(key);
  if (known) return known;
  const taken = new TransitionSet();
  const runner = exploreSlice('runner', config, faults, bounds, { wakesMayBeLost: false, observer: taken });
  exploreSlice('wake', config, faults, bounds, { wakesMayBeLost: runner.paths.has('wake-lost'), observer: taken });
  cache.set(key, taken.ids);
  return taken.ids;
}

/** What a batch of runs took of the transitions reachable in its configuration and fault set. */
export interface ReachableCoverage {
  readonly covered: number;
  /** Transitions reachable: those model checking reaches, and any other a run took. */
  readonly total: number;
  /** Reachable in the model check, taken by no run: where the search did not go. */
  readonly missed: readonly CatalogTransition[];
  /** Taken by some run although the check's traversal (bounds, machines, fault kinds it models) does not reach them. */
  readonly beyondCheck: number;
}

/** Compares the transitions runs took (catalog ids) with those {@link reachableTransitions} finds. */
export function reachableCoverage(config: ModelConfig, faults: readonly FaultKind[], takenIds: Iterable<string>): ReachableCoverage {
  const reachable = reachableTransitions(config, faults);
  const taken = new Set(takenIds);
  const catalog = Object.entries(MODEL_MACHINES).flatMap(([name, logic]) => catalogTransitions(name, logic));
  const missed = catalog.filter((transition) => reachable.has(transition.id) && !taken.has(transition.id));
  const beyondCheck = [...taken].filter((id) => !reachable.has(id)).length;
  return { covered: taken.size, total: reachable.size + beyondCheck, missed, beyondCheck };
}
