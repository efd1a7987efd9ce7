import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/**
 * At most one heartbeat per 2 s per runner process, as the agents server received them (stored, refused, or turned
 * away while it was down). Two heartbeats sent 2 s apart may arrive closer by up to one delivery, so the server
 * allows that much. A new process of the same runner starts its own count.
 */
export function heartbeatRate(history: RunHistory, timing: WorldTiming): Violation[] {
  const lastAtMs = new Map<string, number>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation || event.actor !== 'agents-server') return;
    const detail = event.detail;
    const refused = event.kind === 'request-refused' ? agentsRouteOf(String(detail['path'])) : undefined;
    const runner = event.kind === 'heartbeat-received' ? String(detail['runner']) : refused?.route === 'heartbeat' ? refused.runner : undefined;
    if (runner === undefined) return;
    const key = `${String(detail['peer'])} ${runner}`;
    const previous = lastAtMs.get(key);
    lastAtMs.set(key, event.atMs);
    if (previous === undefined || event.atMs - previous >= RUNTIME_RULES.heartbeatMinGapMs - timing.maxDeliveryMs) return;
    violations.push({
      property: 'protocol',
      message: `heartbeat rate: ${String(detail['peer'])} sent two heartbeats of ${runner} ${event.atMs - previous} ms apart (at most one per ${RUNTIME_RULES.heartbeatMinGapMs} ms)`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
