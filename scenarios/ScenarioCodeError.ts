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
