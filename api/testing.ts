/**
 * `wake-sim/testing`: explorations as tests. {@link simCheck} is an awaitable check for any test runner;
 * {@link itExplores} registers a vitest test (this entry imports `vitest`, an optional peer dependency of the package,
 * which is why it is not part of the main entry).
 *
 * @packageDocumentation
 */

export { itExplores } from '../scenarios/testing/itExplores.ts';
export {
  DEFAULT_SIM_CHECK_RUNS,
  DEFAULT_SIM_CHECK_SHRINK_ATTEMPTS,
  SIM_REPLAY_VARIABLE,
  simCheck,
  SimPropertyError,
  type SimCheckOptions,
  type SimCheckOutcome,
} from '../scenarios/testing/simCheck.ts';
