/**
 * A switch: one named choice of behaviour with a closed set of values, e.g. `wiring` with `swallow | reject | retry`.
 * Runtimes, the simulated world and scenarios each declare their own; a run gives every declared switch a value.
 */
export interface SwitchDefinition {
  /** Lower-case, `-`-separated; the command-line option is `--<name>`. */
  readonly name: string;
  /** The allowed values; the first is not special, {@link defaultValue} is. */
  readonly values: readonly string[];
  readonly defaultValue: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** One line per value for `--help` and docs, by value. */
  readonly meanings?: Readonly<Record<string, string>>;
  /**
   * Values this value implies for switches owned elsewhere unless the run sets them itself: a runtime's resume-offset
   * fix needs the server to return the reported offset, say.
   */
  readonly implies?: (value: string) => Readonly<Record<string, string>>;
  /**
   * The run's trace (its `run-start` event, which the trace hash covers) names this switch only when its value differs
   * from the default. Set on switches added after traces were recorded (the trace-hash fixture, committed tokens), so
   * that every run of the defaults keeps its trace, hash included, byte for byte; a run that sets the switch still
   * shows (and hashes) it.
   */
  readonly tracedOnlyWhenSet?: boolean;
}
