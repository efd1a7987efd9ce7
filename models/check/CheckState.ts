import type { ComposedState } from '../composedModel.ts';

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
}

/** How many of each the environment has used so far (counted against {@link CheckBounds}), and the process alive now. */
export interface CheckBudget extends CheckBounds {
  readonly live: string | undefined;
  /** Work (an occurrence, a message, an abandoned wake) arrived that no wake has taken yet. */
  readonly pending: boolean;
  /** The live runner stored its final heartbeat while stopping (a graceful stop always sends one). */
  readonly finalHeartbeatStored: boolean;
}

/** A node of the traversal: the composed model's state plus the environment's budget. */
export interface CheckState {
  readonly model: ComposedState;
  readonly budget: CheckBudget;
}

/** A canonical string of a check state, for the traversal to recognise states it has seen. */
export function serializeCheckState(state: CheckState): string {
  const { model, budget } = state;
  const snapshot = (value: { value: unknown; context: unknown }) => [value.value, value.context];
  return JSON.stringify([
    model.runners.map(([process, runner]) => [process, snapshot(runner)]),
    snapshot(model.wakeStream),
    snapshot(model.entity),
    model.active ? [model.active.process, model.active.wakeId, snapshot(model.active.snapshot)] : null,
    model.closing.map((slot) => [slot.process, slot.wakeId, snapshot(slot.snapshot)]),
    budget,
  ]);
}
