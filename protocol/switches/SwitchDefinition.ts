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
   * False for a switch added after the trace hashes of existing runs were recorded (test/sim/fixtures): while it has
   * its default value it is left out of the run's `run-start` record, so a run that could be set up before the switch
   * existed hashes as it did. Recorded when absent or true; any other value of the switch is always recorded.
   */
  readonly recordedAtDefault?: boolean;
}
