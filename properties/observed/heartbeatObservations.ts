import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { agentsRouteOf } from './agentsRoute.ts';

/** A heartbeat of a runner process, as one observation of the world shows it and as the runner saw its outcome. */
export interface HeartbeatObservation {
  readonly peer: string;
  /** The runner it was for; undefined where the observation does not say (a `heartbeat-failure` fault). */
  readonly runner: string | undefined;
  /**
   * `ok`: the agents server stored it and its answer is not known lost; `failed`: answered 503 by a `heartbeat-failure`,
   * turned away at the door, an error status, or dropped or its answer lost on the wire (the world saw it sent either
   * way); `hung`: the network hung it, so it fails only when the runtime gives up on it.
   */
  readonly outcome: 'ok' | 'failed' | 'hung';
}

/**
 * The heartbeat `event` shows, if it shows one: the agents server's `heartbeat-received`, a `request-refused` on the
 * heartbeat route, a `heartbeat-failure` fault, or a network fault on the heartbeat route. One heartbeat may show twice
 * at one instant (a `heartbeat-failure` and its refusal; a `lost-answer` and the server's `heartbeat-received`): who
 * counts outcomes merges those.
 */
export function heartbeatObservationOf(event: TraceEvent): HeartbeatObservation | undefined {
  if (event.annotation) return undefined;
  const detail = event.detail;
  const peer = detail['peer'];
  if (typeof peer !== 'string') return undefined;
  if (event.kind === 'heartbeat-received') return { peer, runner: String(detail['runner']), outcome: Number(detail['status']) < 300 ? 'ok' : 'failed' };
  if (event.kind === 'request-refused') {
    const route = agentsRouteOf(String(detail['path']));
    return route?.route === 'heartbeat' ? { peer, runner: route.runner, outcome: 'failed' } : undefined;
  }
  if (event.kind !== 'fault') return undefined;
  if (detail['kind'] === 'heartbeat-failure') return { peer, runner: undefined, outcome: 'failed' };
  const route = typeof detail['path'] === 'string' ? agentsRouteOf(detail['path']) : undefined;
  if (route?.route !== 'heartbeat') return undefined;
  return { peer, runner: route.runner, outcome: detail['kind'] === 'hung-request' ? 'hung' : 'failed' };
}
