/** Timing constants of the runtime under test, in virtual milliseconds, as the upstream runtime uses them. */
export const RUNTIME_TIMING = {
  /** Heartbeats go out this often, and also when the offset changes. */
  heartbeatIntervalMs: 30_000,
  /** At most one heartbeat per this many milliseconds. */
  heartbeatMinGapMs: 2_000,
  /** Consecutive heartbeat failures after which the runner resets its stream. */
  heartbeatFailuresBeforeReset: 2,
  reconnectInitialBackoffMs: 1_000,
  reconnectMaxBackoffMs: 30_000,
  /** `stop()` waits this long for aborted claims to settle. */
  stopClaimWaitMs: 1_000,
  /** `stop()` waits this long for in-flight wakes to finish before the process exits anyway. */
  stopDrainMs: 10_000,
  /** `wiring=retry`: backoff between attempts with a fresh DB. */
  wiringRetryInitialBackoffMs: 100,
  wiringRetryMaxBackoffMs: 2_000,
  /** `claim-retry=backoff`: the wait before retrying a failed claim, doubling up to the maximum. */
  claimRetryInitialBackoffMs: 1_000,
  claimRetryMaxBackoffMs: 30_000,
  /** `read-watchdog=reset`: a wake-stream read unanswered this long is aborted (the service holds a long-poll 20 s). */
  readWatchdogMs: 30_000,
  /**
   * `lease-fence=deadline`: a wake gives its claim up this long before the end of the lease it can be sure of. Longer
   * than the wiring chain's longest backoff (2 s), so the wake's next step, where it is abandoned, comes before the
   * service can grant the entity's next wake.
   */
  leaseFenceMarginMs: 5_000,
  /** `renewal-retry=backoff`: the wait before trying an unanswered renewal again, doubled per attempt up to the cap. */
  renewalRetryInitialBackoffMs: 1_000,
  /**
   * `renewal-retry=backoff`: the longest wait between tries. Short, as the lease bounds them: a renewal has to get
   * through between the end of an outage and the wake's fence, which a long wait could skip (measured: at 8 s the
   * fence came first after an agents-server restart of 8 s).
   */
  renewalRetryMaxBackoffMs: 2_000,
  /**
   * `renewal-timeout=short`: a lease renewal unanswered this long is given up. Its answer takes milliseconds; a
   * renewal that waits longer is on a connection that hangs, and the lease cannot wait for it.
   */
  renewalAnswerDeadlineMs: 2_000,
  /** `request-timeout=abort`: a request unanswered this long is aborted (longer than a long-poll's 20 s hold). */
  requestDeadlineMs: 30_000,
  /** `done-retry=backoff`: the wait before the second attempt, doubled per attempt up to the cap. */
  doneRetryInitialBackoffMs: 500,
  /**
   * `done-retry=backoff`: the longest wait between attempts. Short, as the lease bounds the retries: a done has to get
   * through between two restarts, and a long wait could skip the window.
   */
  doneRetryMaxBackoffMs: 2_000,
  /** Registration retries while the agents server is unavailable. */
  registerRetryBackoffMs: 1_000,
} as const;
