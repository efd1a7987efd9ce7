/** A named set of fault kinds that belong together: what `--faults WORLD` selects. */
export interface FaultWorld {
  /** One line for `--help` and docs. */
  readonly summary: string;
  readonly kinds: readonly string[];
}

/**
 * The fault worlds (issue 14): the bug report's own world, the platform failing around the runtime, and the network
 * between them. `all` (every registered kind) is not listed here: it grows with every kind a scenario registers.
 * Worlds overlap only where a fault belongs to both stories (reordered deliveries are the report's and the network's).
 */
export const FAULT_WORLDS = {
  report: {
    summary: "the bug report's world: redeploys, transient preload failures of both kinds, reordered deliveries",
    kinds: ['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder'],
  },
  platform: {
    summary: 'crashes, agents-server and Durable Streams restarts, heartbeat failures, overlapping (rolling) deploys',
    kinds: ['crash', 'server-restart', 'heartbeat-failure', 'rolling-deploy', 'ds-restart'],
  },
  network: {
    summary: "5xx and 429 answers, long shared-stream outages, slow handlers, lost answers, dropped, stale and hung connections, stalled agents-server requests, the host's network outages, reordering",
    kinds: ['delivery-reorder', 'server-error', 'rate-limit', 'stream-outage', 'lost-answer', 'connection-drop', 'stale-connection', 'hung-connect', 'hung-request', 'slow-handler', 'network-outage'],
  },
} as const satisfies Readonly<Record<string, FaultWorld>>;

/** The name of a fault world: `report`, `platform` or `network`. */
export type FaultWorldName = keyof typeof FAULT_WORLDS;
