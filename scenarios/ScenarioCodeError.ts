/**
 * An error thrown by a scenario's own code while it set up its world (`Scenario.setUp`): the scenario's bug, which
 * may be a user's scenario registered from a module, not the tool's. The message names the scenario and keeps the
 * error's own; `cause` is the error itself.
 */
export class ScenarioCodeError extends Error {
  override name = 'ScenarioCodeError';

  constructor(
    readonly scenario: string,
    cause: unknown,
  ) {
    super(`scenario ${scenario} threw while setting up its world: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Whether `error` is a {@link ScenarioCodeError}: one thrown in this thread, or one a worker thread threw (`--workers`),
 * which reaches this thread as a structured clone — a plain `Error` whose stack still begins with the class's name.
 */
export function isScenarioCodeError(error: unknown): error is Error {
  return error instanceof ScenarioCodeError || (error instanceof Error && (error.name === 'ScenarioCodeError' || (error.stack ?? '').startsWith('ScenarioCodeError: ')));
}
