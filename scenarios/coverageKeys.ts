import { catalogTransitions } from '../models/coverage/transitionCatalog.ts';
import { MODEL_MACHINES } from '../models/systemModel.ts';
import type { RunResult } from './runScenario.ts';

/**
 * The one place that says what "coverage" means for a run of this project, for the coverage figure of `explore` and
 * for the guided search (which only compares these keys as opaque strings). Replace this file's body to change the
 * coverage source; nothing else needs to know.
 */

/** Prefix of the keys that name a transition of the composed model. */
const MODEL_TRANSITION = 'model:';
/** Prefix of the keys that name a fault kind a run injected (its `fault` events). */
export const FAULT_KEY_PREFIX = 'fault:';
/** Trace events that are scheduling, not behaviour: each step also shows as the events it records. */
const SCHEDULING_EVENT = 'step';
/** How far back from a fault `near:` keys look for what host processes were doing, in virtual ms. */
const NEAR_WINDOW_MS = 1_024;

/**
 * The coverage keys of a run, sorted, each once:
 * - `model:<transition id>`: every transition of the composed model the run's abstract events took (up to the first
 *   event the model refused), as `models coverage` identifies them;
 * - `fault:<kind>`: every kind of fault injected;
 * - `seq:<actor>:<kind>><kind>`: every ordered pair of consecutive events of one actor (host processes counted as one
 *   actor, `host#N`, whatever runner they serve), so a new order of things one actor does is new coverage;
 * - `near:<fault>:<kind>:<b>`: for every fault injected and every kind of event a host process recorded in the
 *   {@link NEAR_WINDOW_MS} before it, the distance to the last such event as a power of two (b = ceil(log2(ms + 1))).
 *   A fault that lands closer to what a host was doing is new coverage before it lands inside it: the guided
 *   search gets a gradient towards a redeploy during a wake, which a uniform search hits by luck alone;
 * - `violation:<property>`: every property the run violated.
 */
export function coverageKeysOf(result: RunResult): string[] {
  const keys = new Set<string>(result.modelTransitions.map((id) => `${MODEL_TRANSITION}${id}`));
  const lastKindOf = new Map<string, string>();
  const lastHostEventMs = new Map<string, number>();
  for (const event of result.events) {
    if (event.kind === SCHEDULING_EVENT) continue;
    if (event.kind === 'fault') {
      const fault = String(event.detail['kind']);
      keys.add(`${FAULT_KEY_PREFIX}${fault}`);
      for (const [kind, atMs] of lastHostEventMs) {
        const distanceMs = event.atMs - atMs;
        if (distanceMs <= NEAR_WINDOW_MS) keys.add(`near:${fault}:${kind}:${Math.ceil(Math.log2(distanceMs + 1))}`);
      }
    }
    // A runner's host process (`runner-2/host#1` in a world of several runners) is a host process like any other.
    const actor = event.actor.replace(/^runner-\d+\/host#\d+$/, 'host#N').replace(/#\d+$/, '#N');
    const last = lastKindOf.get(actor);
    if (last !== undefined) keys.add(`seq:${actor}:${last}>${event.kind}`);
    lastKindOf.set(actor, event.kind);
    if (actor === 'host#N') lastHostEventMs.set(event.kind, event.atMs);
  }
  for (const violation of result.violations) keys.add(`violation:${violation.property}`);
  return [...keys].sort();
}

/** The keys that name a transition of the composed model (as `models coverage` catalogs them). */
export function modelTransitionKeys(keys: readonly string[]): string[] {
  const catalog = transitionKeys();
  return keys.filter((key) => catalog.has(key));
}

/** The catalog ids (`machine:source:EVENT#i`) of the transitions the keys name. */
export function modelTransitionIds(keys: readonly string[]): string[] {
  return modelTransitionKeys(keys).map((key) => key.slice(MODEL_TRANSITION.length));
}

/** How many of the composed model's transitions some runs took. */
export interface ModelTransitionCoverage {
  readonly covered: number;
  readonly total: number;
}

/** How many of the composed model's transitions the keys name, of how many it has. */
export function modelTransitionCoverage(keys: readonly string[]): ModelTransitionCoverage {
  return { covered: modelTransitionKeys(keys).length, total: transitionKeys().size };
}

let catalogKeys: ReadonlySet<string> | undefined;
function transitionKeys(): ReadonlySet<string> {
  catalogKeys ??= new Set(
    Object.entries(MODEL_MACHINES).flatMap(([name, machine]) => catalogTransitions(name, machine).map((transition) => `${MODEL_TRANSITION}${transition.id}`)),
  );
  return catalogKeys;
}
