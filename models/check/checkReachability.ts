import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { ModelConfig } from '../modelConfig.ts';
import { sliceOf, type CheckedProperty } from './checkSlices.ts';
import type { CheckBounds, CheckEvent } from './CheckState.ts';
import { exploreSlice, type SliceExploration } from './exploreSlice.ts';

/**
 * The bounds `models check` uses: one occurrence, one other message, three host processes, two wakes and wake events,
 * two preload failures, one crash and two redeploys when those faults are enabled. Three processes and two redeploys
 * because a wake replay under `offset=server-seek` takes that many (found by exploration on 2026-12-03, where two and
 * one called it unreachable): a first process is granted a wake and stopped before its done, a second reads the wake
 * again (the acked prefix ends before it), is refused it while the first claim holds the lease and settles it, and a
 * third reads it once more.
 */
export const DEFAULT_CHECK_BOUNDS: CheckBounds = {
  processes: 3,
  wakeAppends: 2,
  wakes: 2,
  occurrences: 1,
  preloadFailures: 2,
  crashes: 1,
  redeploys: 2,
  messages: 1,
  lostLeases: 0,
};

/**
 * The bounds of the second search, made where the first finds no path for a property of the wake slice: a lease that
 * ends under a running wake, whose wake lingers beside the next one (a wiring retry loop that outlasts its lease, say).
 * Two wakes at once multiply the states by the second wake's (in the first bounds, more than two million), so this
 * search is made in a small world: one process, one occurrence, no other message, one preload failure, no crash or
 * redeploy. A story that needs a lost lease and a restart is beyond both.
 */
export const LOST_LEASE_BOUNDS: CheckBounds = {
  processes: 1,
  wakeAppends: 2,
  wakes: 2,
  occurrences: 1,
  preloadFailures: 1,
  crashes: 0,
  redeploys: 0,
  messages: 0,
  lostLeases: 1,
};

/** The answer for one configuration and property. */
export interface Reachability {
  readonly property: CheckedProperty;
  /** Some event sequence the model accepts within the bounds ends in the violation. False is no proof beyond them. */
  readonly reachable: boolean;
  /** The shortest event path to a state with the violation (empty when unreachable). */
  readonly path: readonly CheckEvent[];
  /** States the bounded traversal of the property's slice visited. */
  readonly statesExplored: number;
  /** The switches the answer depends on (its slice's), with their values. */
  readonly switchesRead: Readonly<Partial<ModelConfig>>;
  /** For the wake slice: whether the runner slice found that the offset switch can lose a wake event for good. */
  readonly wakesMayBeLost?: boolean;
  /** The path was found by the second search, with a lease lost under a running wake ({@link LOST_LEASE_BOUNDS}). */
  readonly lostLease?: boolean;
}

/** Traversals already made, by slice, the values of the switches it reads, the faults and the bounds. */
const explorations = new Map<string, SliceExploration>();

function explored(key: string, explore: () => SliceExploration): SliceExploration {
  let exploration = explorations.get(key);
  if (!exploration) {
    exploration = explore();
    explorations.set(key, exploration);
  }
  return exploration;
}

/** What every traversal's key ends with: the faults (in canonical order) and the bounds. */
const commonKey = (faults: readonly FaultKind[], bounds: CheckBounds): string => `${JSON.stringify([...faults].sort())} ${JSON.stringify(bounds)}`;

/** The runner slice's traversal under this offset switch, made once. */
const runnerExploration = (config: ModelConfig, faults: readonly FaultKind[], bounds: CheckBounds): SliceExploration =>
  explored(`runner ${config.offset} ${commonKey(faults, bounds)}`, () => exploreSlice('runner', config, faults, bounds));

/**
 * Bounded model checking of one property under one configuration: the shortest path, within the bounds, to a state
 * of the property's slice that shows it (see models/check/checkSlices.ts). Configurations that agree on every switch
 * the slice reads share one traversal. The wake slice first asks the runner slice, under the same offset switch,
 * whether a wake event can be lost for good; where it finds no path, a second search within `lostLeaseBounds` lets a
 * lease end under a running wake (null skips it).
 */
export function checkReachability(
  config: ModelConfig,
  property: CheckedProperty,
  faults: readonly FaultKind[],
  bounds: CheckBounds = DEFAULT_CHECK_BOUNDS,
  lostLeaseBounds: CheckBounds | null = LOST_LEASE_BOUNDS,
): Reachability {
  const slice = sliceOf(property);
  const switchesRead = Object.fromEntries(slice.switches.map((name) => [name, config[name]])) as Partial<ModelConfig>;
  const runner = runnerExploration(config, faults, bounds);
  let exploration = runner;
  let wakesMayBeLost: boolean | undefined;
  const wakeExploration = (within: CheckBounds): SliceExploration =>
    explored(`wake ${config.wiring} ${config.idempotency} ${wakesMayBeLost} ${commonKey(faults, within)}`, () => exploreSlice('wake', config, faults, within, { wakesMayBeLost: wakesMayBeLost! }));
  if (slice.name === 'wake') {
    wakesMayBeLost = runner.paths.has('wake-lost');
    exploration = wakeExploration(bounds);
  }
  let steps = exploration.paths.get(property);
  let lostLease: boolean | undefined;
  if (slice.name === 'wake' && lostLeaseBounds) {
    lostLease = false;
    if (steps === undefined) {
      const second = wakeExploration(lostLeaseBounds);
      steps = second.paths.get(property);
      lostLease = steps !== undefined;
      if (lostLease) exploration = second;
    }
  }
  return {
    property,
    reachable: steps !== undefined,
    path: steps ? steps.flat() : [],
    statesExplored: exploration.statesExplored,
    switchesRead,
    ...(wakesMayBeLost === undefined ? {} : { wakesMayBeLost }),
    ...(lostLease === undefined ? {} : { lostLease }),
  };
}

/** The runner slice's shortest path to a wake event lost for good under this offset switch, if one is reachable. */
export function wakeLossPath(config: ModelConfig, faults: readonly FaultKind[], bounds: CheckBounds = DEFAULT_CHECK_BOUNDS): readonly CheckEvent[] | undefined {
  return runnerExploration(config, faults, bounds).paths.get('wake-lost')?.flat();
}
