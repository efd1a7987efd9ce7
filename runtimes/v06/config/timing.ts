/**
 * Timing of the 0.6-shaped runtime, in milliseconds of the process's clock (virtual inside a simulation). The values
 * are those semantics.md and the historical bugs give for the upstream runner; where they are silent the choice is
 * written next to the value.
 */
export const V06_TIMING = {
  /** A heartbeat goes out this often even when nothing changed. */
  heartbeatIntervalMs: 30_000,
  /** Heartbeats triggered by an offset change are spaced at least this far apart. */
  heartbeatMinSpacingMs: 2_000,
  /** This many failed heartbeats in a row reset the wake stream (B5: also while a connect hangs). */
  heartbeatFailuresBeforeStreamReset: 2,
  /** Reconnect backoff: the first wait, doubled after each failed attempt up to the cap, reset once streaming. */
  reconnectFirstBackoffMs: 1_000,
  reconnectMaxBackoffMs: 30_000,
  /** The same-stream claim guard (#4616) looks at a deferred wake event again this often. */
  deferralRetryMs: 25,
  /** A stop waits this long for the claims in flight to be answered (not dispatched), then aborts the rest. */
  stopClaimWaitMs: 1_000,
  /**
   * A stop waits this long for in-flight wakes to drain. Not given upstream; chosen below the platform's usual 30 s
   * grace period so the final heartbeat still goes out when a wake hangs.
   */
  stopWakeDrainMs: 10_000,
  /** `wiring=retry`: the wait before the second attempt, doubled per attempt up to the cap (a bounded backoff). */
  wiringRetryFirstBackoffMs: 100,
  wiringRetryMaxBackoffMs: 2_000,
  /** Registration is retried this often while the agents server does not answer it. */
  registrationRetryMs: 1_000,
} as const;
