import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/**
 * At most one heartbeat per 2 s per runner process, as the agents server received them (stored, refused, or turned
 * away while it was down). Two heartbeats sent 2 s apart may arrive closer by up to one delivery, so the server
 * allows that much; and by one more millisecond per request of the same process queued ahead of the earlier one on
 * its in-order channel (world/network/Network.ts: each arrives at least 1 ms after the one before it). A runner serving
 * several entities sends several requests at one instant (two wakes' claims, say), and a heartbeat sent with them
 * arrives behind them. Queued requests arrive on consecutive milliseconds just before it, each observed by the server
 * with the process as its peer; counting every such observation over-counts them, which only makes the rule more
 * lenient. A new process of the same runner starts its own count.
 */
export function heartbeatRate(history: RunHistory, timing: WorldTiming): Violation[] {
  /** Per runner process: when its last heartbeat arrived, and how many requests may have been queued ahead of it. */
  const last = new Map<string, { readonly atMs: number; readonly queuedAhead: number }>();
  /** Per process: the run of consecutive milliseconds at which the server observed its requests, up to the last one. */
  const arrivals = new Map<string, { endMs: number; length: number }>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation || event.actor !== 'agents-server') return;
    const detail = event.detail;
    const peer = detail['peer'];
    let queuedAhead = 0;
    if (typeof peer === 'string') {
      const run = arrivals.get(peer);
      queuedAhead = run !== undefined && run.endMs === event.atMs - 1 ? run.length : 0;
      if (run === undefined) arrivals.set(peer, { endMs: event.atMs, length: 1 });
      else if (run.endMs !== event.atMs) {
        run.length = run.endMs === event.atMs - 1 ? run.length + 1 : 1;
        run.endMs = event.atMs;
      }
    }
    const refused = event.kind === 'request-refused' ? agentsRouteOf(String(detail['path'])) : undefined;
    const runner = event.kind === 'heartbeat-received' ? String(detail['runner']) : refused?.route === 'heartbeat' ? refused.runner : undefined;
    if (runner === undefined) return;
    const key = `${String(peer)} ${runner}`;
    const previous = last.get(key);
    last.set(key, { atMs: event.atMs, queuedAhead });
    if (previous === undefined || event.atMs - previous.atMs >= RUNTIME_RULES.heartbeatMinGapMs - timing.maxDeliveryMs - previous.queuedAhead) return;
    violations.push({
      property: 'protocol',
      message: `heartbeat rate: ${String(peer)} sent two heartbeats of ${runner} ${event.atMs - previous.atMs} ms apart (at most one per ${RUNTIME_RULES.heartbeatMinGapMs} ms)`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
