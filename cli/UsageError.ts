/** A mistake in how the command was called: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Exit codes of every command. `traceDiffers`: `replay FILE` re-ran a trace file and this build told another story
 * (a different trace hash) than the one the file recorded.
 */
export const EXIT = { clean: 0, violation: 1, badInput: 2, internalError: 3, traceDiffers: 4 } as const;
