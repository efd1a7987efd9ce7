import { EXIT } from './UsageError.ts';
import { PROGRAM_NAME } from '../scenarios/simCommand.ts';

/**
 * A bug of the tool, not a finding and not a user's mistake: it says so, with the stack for the report, and the
 * process ends with {@link EXIT.internalError} (never 1, which means "violation found").
 */
export function internalErrorText(error: unknown): string {
  return `${PROGRAM_NAME}: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}

/**
 * A scenario's own code threw while setting up its world: not a finding, not a user's mistake on the command line, and
 * not necessarily the tool's bug (a scenario registered from a module is the user's code). Exit status
 * {@link EXIT.internalError}, with the stack of the scenario's error.
 */
export function scenarioCodeErrorText(error: Error): string {
  // The scenario's own stack; one that came from a worker thread may have lost its cause, and keeps its own stack.
  const stack = error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : (error.stack ?? error.message);
  return `${PROGRAM_NAME}: ${error.message} (a bug of that scenario's code: yours if a registration module added it, else please report)\n${stack}\n`;
}

/**
 * Routes errors no command caught — an unhandled promise rejection, an exception thrown from a callback — to the
 * internal-error report and exit status 3; Node's own handling would exit 1, the status of a finding.
 */
export function installInternalErrorHandlers(processLike: NodeJS.Process = process): void {
  const fail = (error: unknown): void => {
    processLike.stderr.write(internalErrorText(error));
    processLike.exit(EXIT.internalError);
  };
  processLike.on('unhandledRejection', fail);
  processLike.on('uncaughtException', fail);
}
