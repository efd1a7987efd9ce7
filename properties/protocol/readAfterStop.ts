import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { WAKE_STREAM_PATTERN } from '../observed/wakeKey.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { AfterStop } from './afterStop.ts';

/**
 * No read of the wake stream after a graceful stop began: a runner told to stop leaves the streaming states for
 * `stopping` and drops its connection (semantics.md §1), so once the platform sent a process SIGTERM (its `sigterm`
 * event) the Durable Streams service receives no new read of a wake stream from it later than one sent just before
 * could still arrive (afterStop.ts). A read in progress when SIGTERM came (a long-poll the service holds) arrived
 * before it and is no violation: its arrival is its answer's time less `heldMs`.
 */
export function readAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  const afterStop = new AfterStop(timing);
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    afterStop.observe(event);
    if (event.annotation || event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(event.detail['stream']))) return;
    const peer = String(event.detail['peer']);
    const lateByMs = afterStop.lateByMs(peer, event.atMs - Number(event.detail['heldMs'] ?? 0));
    if (lateByMs === undefined || flagged.has(peer)) return;
    flagged.add(peer);
    violations.push({
      property: 'protocol',
      message: `read after stop: ${peer} read ${String(event.detail['stream'])} ${lateByMs} ms after its SIGTERM`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
