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
} as const;
