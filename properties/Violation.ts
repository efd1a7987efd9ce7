/** The name of a registered property (properties/registry.ts), e.g. `duplicate-action`. */
export type PropertyName = string;

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
  /**
   * A finer class than the property, read from the same observations, for a property that tells causes apart (e.g.
   * `concurrent-wake`'s `restart-forgot-lease`). Tools that compare runs by what failed (`npm run mutants`) compare by
   * property and cause, so a defect's own failures are not lost among the world's of the same property.
   */
  readonly cause?: string;
}
