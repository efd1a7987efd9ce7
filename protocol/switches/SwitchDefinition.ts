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
   * False for a switch added after runs were recorded by their trace hash: while it has its default value, a run's
   * `run-start` event leaves it out of the configuration it records, so a run that does not use the switch hashes as
   * it did before the switch existed (test/sim/traceHashStability.test.ts). Its replay token still names it. True
   * (every switch's value recorded) when absent.
   */
  readonly recordedAtDefault?: boolean;
}
