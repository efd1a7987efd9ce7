import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { AfterStop } from './afterStop.ts';

/**
 * No claim after a graceful stop began: once the platform sent a process SIGTERM (its `sigterm` event), the agents
 * server receives no claim from it — answered or turned away — later than one sent just before could still arrive
 * (afterStop.ts).
 */
export function claimAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  const afterStop = new AfterStop(timing);
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    afterStop.observe(event);
    if (event.annotation) return;
    const detail = event.detail;
    const isClaim = event.kind === 'claim-answered' || (event.kind === 'request-refused' && event.actor === 'agents-server' && agentsRouteOf(String(detail['path']))?.route === 'claim');
    if (!isClaim) return;
    const peer = String(detail['peer']);
    const lateByMs = afterStop.lateByMs(peer, event.atMs);
    if (lateByMs === undefined || flagged.has(peer)) return;
    flagged.add(peer);
    violations.push({
      property: 'protocol',
      message: `claim after stop: ${peer} claimed ${String(detail['subscription'] ?? detail['path'])} ${lateByMs} ms after its SIGTERM`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
