/**
 * The properties a run is judged by: the five of semantics.md §5, hermeticity of the run (nothing in it reached real
 * time, randomness or network: sim/hermetic/), and conformance of the run to the executable models (models/).
 */
export const PROPERTY_NAMES = ['duplicate-action', 'missed-action', 'unwired-resolve', 'wake-replay', 'hang', 'hermetic', 'model-conformance'] as const;

export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** One broken property, with where it first showed. */
export interface Violation {
  readonly property: PropertyName;
  /** One line for people. */
  readonly message: string;
  /** Scheduler step and virtual time of the event that shows the violation (the end of the run for liveness). */
  readonly step: number;
  readonly atMs: number;
  /** Index in the run's events of the event that shows it; absent for what only the end of the run shows. */
  readonly eventIndex?: number;
}
