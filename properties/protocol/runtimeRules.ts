/**
 * The timing rules of semantics.md §1 that a runner must honour, in virtual milliseconds: what the protocol and
 * deaf-runner properties hold a runtime to, whatever runtime it is.
 */
export const RUNTIME_RULES = {
  /** At most one heartbeat per this many milliseconds, per runner process. */
  heartbeatMinGapMs: 2_000,
  /**
   * A registered runner process heartbeats at least this often while it runs (semantics.md §1: "every 30 s plus on
   * offset change"); protocol/heartbeatSilence.ts adds the round trips and the spacing a heartbeat may wait for.
   */
  heartbeatIntervalMs: 30_000,
  /** A reconnect after a failed read of the wake stream waits at least this long. */
  reconnectInitialBackoffMs: 1_000,
  /** Reconnect backoff doubles up to this. */
  reconnectMaxBackoffMs: 30_000,
  /**
   * A read of the wake stream that the network never answers (a connect that hangs, an answer lost on a half-open
   * socket) is given up within this long: semantics.md sets no value; this is the contract the deaf-runner property
   * holds a runtime to, and the hardened v0.4 runtime's read watchdog. A read is not given up sooner for want of an
   * answer either: the `protocol` rule protocol/readAbandoned.ts holds a runtime to that.
   */
  unansweredReadAbandonMs: 30_000,
  /**
   * A graceful stop gives the handlers still running at SIGTERM at least this long to finish before the process ends
   * with one of them still running. semantics.md has a stop abort its claims, wait up to 1 s for them, then "abort and
   * drain in-flight wakes" (§1), and a redeploy "let in-flight wakes finish and drain" (§6); it sets no bound on the
   * drain. A runtime may bound it below the platform's grace period (30 s here, after which the platform kills the
   * process anyway), so that its final heartbeat still goes out when a handler hangs; both runtimes modelled here
   * bound it at 10 s, counted from the end of the claims' wait (v0.4 `stopDrainMs`, upstream's value; v0.6
   * `stopWakeDrainMs`). This is the contract the `protocol` property holds a runtime to: a drain that gives up on a
   * running handler sooner than 10 s after SIGTERM did not drain.
   */
  stopDrainMinMs: 10_000,
  /**
   * A graceful stop has aborted its in-flight wakes at most this long after SIGTERM: semantics.md §1 has it abort its
   * claims, "wait up to 1 s for them", then "abort and drain in-flight wakes". A wake it aborted starts no new attempt
   * at its work (protocol/wiringAfterStop.ts).
   */
  stopAbortsWakesWithinMs: 1_000,
  /**
   * Failed claims one runner process may keep sending for one runner, a second for two seconds in a row, per entity
   * the agents server has provisioned on that runner (a single burst is a backlog of wake events claimed at once).
   * semantics.md §3 has failed requests "retried by the client with backoff" and fixes no schedule, and the real
   * client's full jitter allows a wait of 0 ms, so no single gap is too short. A backoff that doubles from a base of
   * 10 ms sends 7 attempts in its first second; with full jitter and a base of 50 ms, 10 attempts fall within one second
   * about once in 100,000 failures (a base of 10 ms: about 3 in 100). A retry at once sends one per round trip: tens or
   * hundreds a second. The rule counts what the agents server saw fail (turned away at the door, or answered 5xx); a
   * connection dropped before the server is not seen.
   */
  failedClaimsPerEntityPerSecondMax: 10,
} as const;
