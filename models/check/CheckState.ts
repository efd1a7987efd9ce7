import type { ComposedState } from '../composedModel.ts';
import type { ModelEvent } from '../modelEvents.ts';

/** How far the bounded traversal may go: at most this many of each thing the environment can do. */
export interface CheckBounds {
  readonly processes: number;
  readonly wakeAppends: number;
  readonly wakes: number;
  readonly occurrences: number;
  readonly preloadFailures: number;
  readonly crashes: number;
  readonly redeploys: number;
  readonly messages: number;
  /** Leases that end under a running wake (the wake outlasts its lease and lingers beside the next one). */
  readonly lostLeases: number;
}

/** One batch the live runner read from its wake stream, as the v0.4 runtime tracks it for its durable mark. */
export interface ReadBatch {
  /** Where a reader resumes to read what follows the batch. */
  readonly end: string;
  /** The wakes in it whose claim outcome the runtime has not heard yet. */
  readonly open: readonly string[];
}

/**
 * What the live process's runtime keeps about its reads (the runner slice follows the v0.4 runtime here, since what a
 * heartbeat reports is the runtime's business): where it has read to, the batches whose claims are still open, the
 * durable mark, and the wakes whose claim it dropped (aborted by a stop, or failed) and will never claim again.
 */
export interface LiveReader {
  readonly readTo: string;
  readonly batches: readonly ReadBatch[];
  readonly mark: string;
  readonly dropped: readonly string[];
}

/** How many of each the environment has used so far (counted against {@link CheckBounds}), and the process alive now. */
export interface CheckBudget extends CheckBounds {
  readonly live: string | undefined;
  /** Work (an occurrence, a message, an abandoned wake) arrived that no wake has taken yet. */
  readonly pending: boolean;
  /** The live runner stored its final heartbeat while stopping (a graceful stop always tries to send one). */
  readonly finalHeartbeatStored: boolean;
  /** Claims granted so far (names the wake ids of the runner slice). */
  readonly grants: number;
  /** Wake ids whose grant the runtime heard (it dispatched them): only those can end with a done. */
  readonly heardGrants: readonly string[];
  /**
   * Claims on the wire, as `process offset`: a runtime that reads a wake while reading its stream sends its claim at
   * once (v0.4 does so in the same turn), and the agents server answers it even when the process stopped or died since.
   */
  readonly claimsInFlight: readonly string[];
  /** A wake event was lost for good (wake slice): the subscription issues no other wake, so no work gets one. */
  readonly stuck: boolean;
  /** The runner slice's view of the live runtime's reads (undefined before its first read, and in the wake slice). */
  readonly reader: LiveReader | undefined;
}

/** A node of the traversal: the composed model's state plus the environment's budget. */
export interface CheckState {
  readonly model: ComposedState;
  readonly budget: CheckBudget;
}

/**
 * What the environment does that no model event shows: the wake slice's stand-in for a wake issued and lost for good
 * (no runner will read and claim it), possible where the runner slice found it reachable.
 */
export interface WakeLost {
  readonly type: 'WAKE_LOST';
}

/** An event of a traversal's path. */
export type CheckEvent = ModelEvent | WakeLost;

/**
 * One step of a traversal: events the runtime and the world produce together, in trace order (a read the service
 * served and the annotation about it, say), applied as one.
 */
export type CheckStep = readonly CheckEvent[];

/** The budget of a traversal's first state: nothing used, no process alive. */
export const EMPTY_BUDGET: CheckBudget = {
  processes: 0,
  wakeAppends: 0,
  wakes: 0,
  occurrences: 0,
  preloadFailures: 0,
  crashes: 0,
  redeploys: 0,
  messages: 0,
  lostLeases: 0,
  live: undefined,
  pending: false,
  finalHeartbeatStored: false,
  grants: 0,
  claimsInFlight: [],
  stuck: false,
  heardGrants: [],
  reader: undefined,
};

/** A canonical string of a check state, for the traversal to recognise states it has seen. */
export function serializeCheckState(state: CheckState): string {
  const { model, budget } = state;
  const snapshot = (value: { value: unknown; context: unknown }) => [value.value, value.context];
  return JSON.stringify([
    model.runners.map(([process, runner]) => [process, snapshot(runner)]),
    snapshot(model.wakeStream),
    snapshot(model.entity),
    model.lifecycles.map(([process, lifecycle]) => [process, snapshot(lifecycle)]),
    model.manifest,
    model.active ? [model.active.process, model.active.wakeId, snapshot(model.active.snapshot)] : null,
    model.closing.map((slot) => [slot.process, slot.wakeId, snapshot(slot.snapshot)]),
    budget,
  ]);
}
