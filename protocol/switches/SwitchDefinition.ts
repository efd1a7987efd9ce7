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
}
