import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';

/**
 * No claim after a graceful stop began: once the platform sent a process SIGTERM (its `sigterm` event), the agents
 * server receives no claim from it — answered or turned away — beyond the one delivery a claim sent just before may
 * still take.
 */
export function claimAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  const stoppedAtMs = new Map<string, number>();
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    if (event.kind === 'sigterm') {
      stoppedAtMs.set(event.actor, event.atMs);
      return;
    }
    const detail = event.detail;
    const isClaim = event.kind === 'claim-answered' || (event.kind === 'request-refused' && event.actor === 'agents-server' && agentsRouteOf(String(detail['path']))?.route === 'claim');
    if (!isClaim) return;
    const peer = String(detail['peer']);
    const since = stoppedAtMs.get(peer);
    if (since === undefined || event.atMs - since <= timing.maxDeliveryMs || flagged.has(peer)) return;
    flagged.add(peer);
    violations.push({
      property: 'protocol',
      message: `claim after stop: ${peer} claimed ${String(detail['subscription'] ?? detail['path'])} ${event.atMs - since} ms after its SIGTERM`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
