import type { NetworkOptions } from '../network/Network.ts';
import { DEFAULT_FAULT_POINT_OPTIONS, type FaultPointOptions } from './FaultPointOptions.ts';

/** Rates and ranges of injected faults. Probabilities are whole percent per fault point. */
export interface FaultOptions {
  /** Timed faults: how many at most in one run (the count itself is a choice from 0). */
  readonly maxRedeploys: number;
  readonly maxCrashes: number;
  readonly maxServerRestarts: number;
  readonly maxRollingDeploys: number;
  readonly maxStreamsRestarts: number;
  readonly maxNetworkOutages: number;
  /** Time from a host process's end to its successor's start. */
  readonly hostRestartDelayMinMs: number;
  readonly hostRestartDelayMaxMs: number;
  /** `rolling-deploy`: how long the new process and the old one both run before the old one gets SIGTERM. */
  readonly deployOverlapMinMs: number;
  readonly deployOverlapMaxMs: number;
  /** How long the platform waits for a graceful stop after SIGTERM before it kills the process. */
  readonly stopGracePeriodMs: number;
  readonly serverDowntimeMinMs: number;
  readonly serverDowntimeMaxMs: number;
  /** `ds-restart`: how long the Durable Streams service is down. */
  readonly streamsDowntimeMinMs: number;
  readonly streamsDowntimeMaxMs: number;
  /**
   * Chance that a read of a shared-state stream fails transiently while the reading process's connection to it is
   * cold: from its first read of that stream until one succeeds (the window the bug report describes after a redeploy).
   */
  readonly preloadFailureColdPercent: number;
  /** The same chance on every read once the process has read that stream successfully. */
  readonly preloadFailureWarmPercent: number;
  readonly heartbeatFailurePercent: number;
  /** `server-error`: chance that a request to Durable Streams is answered 5xx instead of being served. */
  readonly serverErrorPercent: number;
  /** `rate-limit`: chance that a request to Durable Streams is answered 429 instead of being served. */
  readonly rateLimitPercent: number;
  /** The `Retry-After` of a 429, in whole seconds (the unit of the header). */
  readonly rateLimitRetryAfterSeconds: number;
  /** `stream-outage`: chance that a read of a shared stream with none under way starts an outage of that stream. */
  readonly streamOutagePercent: number;
  readonly streamOutageMinMs: number;
  /** Several claim leases (30 s each) long, so that one outage can outlast a wake's lease. */
  readonly streamOutageMaxMs: number;
  /** `lost-answer`: chance per request that the service acts on it but its answer never reaches the caller. */
  readonly lostAnswerPercent: number;
  /** `lost-answer` on a post to the chat (the side effect whose outcome becomes unknown): its own, higher chance. */
  readonly lostPostAnswerPercent: number;
  /** `connection-drop`: chance per request that it never reaches the service. */
  readonly connectionDropPercent: number;
  /** `stale-connection`: chance per held read (a long-poll) that its answer never comes and never fails. */
  readonly staleConnectionPercent: number;
  /** `network-outage`: how long the host's network is out (the span in which its new connections hang). */
  readonly networkOutageMinMs: number;
  /** Several heartbeat intervals (30 s each) long, so that an outage can fail the two in a row that reset the stream. */
  readonly networkOutageMaxMs: number;
  /** `hung-connect`: chance per new connection to Durable Streams that it never completes. */
  readonly hungConnectPercent: number;
  /** `hung-request`: chance per request to the agents server that it never reaches it and never fails. */
  readonly hungRequestPercent: number;
  /** `slow-handler`: chance per handler invocation that its process stalls once the handler has read its state. */
  readonly slowHandlerPercent: number;
  readonly slowHandlerMinMs: number;
  /** Longer than a claim lease, so that a slow handler can outlive its wake's lease. */
  readonly slowHandlerMaxMs: number;
  /** Platform faults at the moments the world sees (issue 15): rates per moment and how many per run. */
  readonly faultPoints: FaultPointOptions;
  readonly network: NetworkOptions;
}

export const DEFAULT_FAULT_OPTIONS: FaultOptions = {
  maxRedeploys: 3,
  maxCrashes: 2,
  maxServerRestarts: 2,
  maxRollingDeploys: 2,
  maxStreamsRestarts: 2,
  maxNetworkOutages: 2,
  hostRestartDelayMinMs: 1_000,
  hostRestartDelayMaxMs: 5_000,
  deployOverlapMinMs: 0,
  deployOverlapMaxMs: 20_000,
  stopGracePeriodMs: 30_000,
  serverDowntimeMinMs: 1_000,
  serverDowntimeMaxMs: 10_000,
  streamsDowntimeMinMs: 1_000,
  streamsDowntimeMaxMs: 20_000,
  preloadFailureColdPercent: 40,
  preloadFailureWarmPercent: 3,
  heartbeatFailurePercent: 10,
  serverErrorPercent: 3,
  rateLimitPercent: 3,
  rateLimitRetryAfterSeconds: 1,
  streamOutagePercent: 5,
  streamOutageMinMs: 1_000,
  streamOutageMaxMs: 150_000,
  lostAnswerPercent: 1,
  lostPostAnswerPercent: 20,
  connectionDropPercent: 1,
  staleConnectionPercent: 2,
  hungConnectPercent: 2,
  hungRequestPercent: 1,
  networkOutageMinMs: 1_000,
  networkOutageMaxMs: 150_000,
  slowHandlerPercent: 10,
  slowHandlerMinMs: 1_000,
  slowHandlerMaxMs: 90_000,
  faultPoints: DEFAULT_FAULT_POINT_OPTIONS,
  network: { baseLatencyMs: 1, maxExtraDelayMs: 40 },
};
