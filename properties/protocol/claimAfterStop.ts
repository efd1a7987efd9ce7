import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { requestsAfterStop } from './afterStop.ts';

/**
 * No claim after a graceful stop began: once the platform sent a process SIGTERM (its `sigterm` event), the agents
 * server receives no claim from it — answered or turned away — sent after the SIGTERM's millisecond (the observation's
 * `sentAtMs`, stamped by the network), or, for an observation without it, later than one sent just before could still
 * arrive (afterStop.ts). The send time matters: a claim deferred behind a running wake goes out when the stop has
 * ended that wake, often within one delivery of the SIGTERM, where arrival alone cannot tell it from one sent before.
 */
export function claimAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  return requestsAfterStop(history, timing, 'claim after stop', (event) => {
    const detail = event.detail;
    const isClaim = event.kind === 'claim-answered' || (event.kind === 'request-refused' && event.actor === 'agents-server' && agentsRouteOf(String(detail['path']))?.route === 'claim');
    if (!isClaim) return undefined;
    const sentAtMs = detail['sentAtMs'];
    return {
      peer: String(detail['peer']),
      arrivedAtMs: event.atMs,
      what: `claimed ${String(detail['subscription'] ?? detail['path'])}`,
      ...(typeof sentAtMs === 'number' ? { sentAtMs } : {}),
    };
  });
}
