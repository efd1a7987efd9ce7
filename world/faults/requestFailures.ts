import type { FaultKind } from './FaultKind.ts';

/**
 * The fault kinds that can fail a request of a host anywhere on the wake path (an error answer, or a connection that
 * breaks), so that a wake can fail where nothing in its wiring did: an agents-server or Durable Streams restart, a 5xx
 * or 429 of Durable Streams, a lost answer, a dropped connection, the host's network outage, and an agents-server
 * request that hangs (a runtime's own deadline fails it). A model of the system must allow what they cause.
 */
const REQUEST_FAILING_FAULTS: readonly FaultKind[] = ['server-restart', 'ds-restart', 'server-error', 'rate-limit', 'lost-answer', 'connection-drop', 'network-outage', 'hung-request'];

/** True when a run with these fault kinds can fail a host's request (see {@link REQUEST_FAILING_FAULTS}). */
export function faultsMayFailRequests(faults: readonly FaultKind[]): boolean {
  return faults.some((kind) => REQUEST_FAILING_FAULTS.includes(kind));
}
