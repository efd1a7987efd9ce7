import { streamPath } from '../../protocol/streams/streamsProtocol.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { WAKE_STREAM_PATTERN } from '../observed/wakeKey.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/** Where a reader stands after a failed read of its wake stream. */
interface Failing {
  readonly failedAtMs: number;
  /** The wait before the last reconnect of this run of failures, if there was one and it was a backoff. */
  readonly lastWaitMs: number | undefined;
}

/**
 * Reconnects that back off: after a read of its wake stream failed (an error answer, or the connection dropped), a
 * runner process's next read arrives no sooner than 1 s later, and while reads keep failing each wait is at least as
 * long as the one before (up to the 30 s cap), so a backoff that does not grow, or resets without a success, shows.
 * Judged at the Durable Streams service: when each failure was answered and when the next read arrived. A failure
 * the reader never saw (its answer lost on a half-open socket) starts no measurement, nor does a wait longer than the
 * cap count as a backoff step: the reader learnt of the failure late, at a moment the service cannot see. Nor does a
 * wait across an attempt the service never saw (a connect that hung, a request dropped on the way, both recorded by
 * the network): the reader's own waits, before and after it, are shorter than the gap the service measures.
 */
export function reconnectBackoff(history: RunHistory, timing: WorldTiming): Violation[] {
  const failing = new Map<string, Failing>();
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  // Reads whose answer the network swallowed (a half-open socket), by peer and request path: the reader never learns
  // when they failed.
  const unseenAnswers = new Set<string>();
  // Readers, by peer and request path, with an attempt the service never received since its last read arrived.
  const unseenAttempts = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    if (!event.annotation && event.kind === 'fault') {
      const kind = event.detail['kind'];
      const request = `${String(event.detail['peer'])} ${String(event.detail['path'])}`;
      if (kind === 'stale-connection') unseenAnswers.add(request);
      else if (kind === 'hung-connect' || kind === 'connection-drop') unseenAttempts.add(request);
      return;
    }
    if (event.annotation || event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(event.detail['stream']))) return;
    const detail = event.detail;
    const reader = `${String(detail['peer'])} ${String(detail['stream'])}`;
    const arrivedAtMs = event.atMs - Number(detail['heldMs'] ?? 0);
    const before = failing.get(reader);
    const failed = detail['aborted'] === true || (detail['status'] !== 200 && detail['status'] !== 204);
    let waitMs: number | undefined;
    if (before && arrivedAtMs >= before.failedAtMs) {
      waitMs = arrivedAtMs - before.failedAtMs;
      const floorMs = Math.max(RUNTIME_RULES.reconnectInitialBackoffMs - timing.maxDeliveryMs, Math.min(before.lastWaitMs ?? 0, RUNTIME_RULES.reconnectMaxBackoffMs) - 2 * timing.maxDeliveryMs);
      if (waitMs < floorMs && !flagged.has(reader)) {
        flagged.add(reader);
        violations.push({
          property: 'protocol',
          message: `reconnect backoff: ${String(detail['peer'])} read ${String(detail['stream'])} again ${waitMs} ms after a failed read (at least ${floorMs} ms)`,
          step: event.step,
          atMs: event.atMs,
          eventIndex,
        });
      }
    }
    // A wait longer than the cap was no backoff: the reader learnt of the failure late (the answer was lost on a stale
    // or dropped connection, and its read watchdog gave up on it), so it says nothing of how long its next wait must be.
    const acrossUnseenAttempt = unseenAttempts.delete(`${String(detail['peer'])} ${streamPath(String(detail['stream']))}`);
    const backoffWaitMs = waitMs !== undefined && !acrossUnseenAttempt && waitMs <= RUNTIME_RULES.reconnectMaxBackoffMs + 2 * timing.maxDeliveryMs ? waitMs : undefined;
    // A failure whose answer never reached the reader is no base for its next wait: it learns of it later (its read
    // watchdog), at a moment the service cannot see.
    const seen = !unseenAnswers.delete(`${String(detail['peer'])} ${streamPath(String(detail['stream']))}`);
    if (failed && seen) failing.set(reader, { failedAtMs: event.atMs, lastWaitMs: backoffWaitMs });
    else failing.delete(reader);
  });
  return violations;
}
