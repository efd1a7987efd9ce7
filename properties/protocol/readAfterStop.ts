import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { WAKE_STREAM_PATTERN } from '../observed/wakeKey.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { requestsAfterStop } from './afterStop.ts';

/**
 * No read of the wake stream after a graceful stop began: a runner told to stop leaves the streaming states for
 * `stopping` and drops its connection (semantics.md §1), so once the platform sent a process SIGTERM (its `sigterm`
 * event) the Durable Streams service receives no new read of a wake stream from it later than one sent just before
 * could still arrive (afterStop.ts). A read in progress when SIGTERM came (a long-poll the service holds) arrived
 * before it and is no violation: its arrival is its answer's time less `heldMs`.
 */
export function readAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  return requestsAfterStop(history, timing, 'read after stop', (event) => {
    const detail = event.detail;
    if (event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(detail['stream']))) return undefined;
    return { peer: String(detail['peer']), arrivedAtMs: event.atMs - Number(detail['heldMs'] ?? 0), what: `read ${String(detail['stream'])}` };
  });
}
