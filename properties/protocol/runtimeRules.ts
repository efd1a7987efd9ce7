/**
 * The timing rules of semantics.md §1 that a runner must honour, in virtual milliseconds: what the protocol and
 * deaf-runner properties hold a runtime to, whatever runtime it is.
 */
export const RUNTIME_RULES = {
  /** At most one heartbeat per this many milliseconds, per runner process. */
  heartbeatMinGapMs: 2_000,
  /** A reconnect after a failed read of the wake stream waits at least this long. */
  reconnectInitialBackoffMs: 1_000,
  /** Reconnect backoff doubles up to this. */
  reconnectMaxBackoffMs: 30_000,
  /**
   * A read of the wake stream that the network never answers (a connect that hangs, an answer lost on a half-open
   * socket) is given up within this long: semantics.md sets no value; this is the contract the deaf-runner property
   * holds a runtime to, and the hardened v0.4 runtime's read watchdog.
   */
  unansweredReadAbandonMs: 30_000,
} as const;
