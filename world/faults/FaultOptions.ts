import type { NetworkOptions } from '../network/Network.ts';

/** Rates and ranges of injected faults. Probabilities are whole percent per fault point. */
export interface FaultOptions {
  /** Timed faults: how many at most in one run (the count itself is a choice from 0). */
  readonly maxRedeploys: number;
  readonly maxCrashes: number;
  readonly maxServerRestarts: number;
  /** Time from a host process's end to its successor's start. */
  readonly hostRestartDelayMinMs: number;
  readonly hostRestartDelayMaxMs: number;
  /** How long the platform waits for a graceful stop after SIGTERM before it kills the process. */
  readonly stopGracePeriodMs: number;
  readonly serverDowntimeMinMs: number;
  readonly serverDowntimeMaxMs: number;
  /**
   * Chance that a read of a shared-state stream fails transiently on the reading process's first read of that stream
   * (a cold connection: the window the bug report describes after a redeploy).
   */
  readonly preloadFailureColdPercent: number;
  /** The same chance on every later read of that stream by that process. */
  readonly preloadFailureWarmPercent: number;
  readonly heartbeatFailurePercent: number;
  readonly network: NetworkOptions;
}

export const DEFAULT_FAULT_OPTIONS: FaultOptions = {
  maxRedeploys: 3,
  maxCrashes: 2,
  maxServerRestarts: 2,
  hostRestartDelayMinMs: 1_000,
  hostRestartDelayMaxMs: 5_000,
  stopGracePeriodMs: 30_000,
  serverDowntimeMinMs: 1_000,
  serverDowntimeMaxMs: 10_000,
  preloadFailureColdPercent: 40,
  preloadFailureWarmPercent: 3,
  heartbeatFailurePercent: 10,
  network: { baseLatencyMs: 1, maxExtraDelayMs: 40 },
};
