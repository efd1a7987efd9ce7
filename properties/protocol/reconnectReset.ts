import { STREAM_ROOT, streamPath } from '../../protocol/streams/streamsProtocol.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { HandlerSpans } from '../observed/handlerSpans.ts';
import { UnseenAnswers } from '../observed/unseenAnswers.ts';
import { WAKE_STREAM_PATTERN } from '../observed/wakeKey.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/** A reader's read of its wake stream that failed right after one that succeeded: its next read is due within 1 s. */
interface FirstFailure {
  readonly peer: string;
  readonly stream: string;
  readonly failedAtMs: number;
  /** When the service answered the successful read this failure followed. */
  readonly afterSuccessAtMs: number;
}

/**
 * The reconnect backoff resets on success (semantics.md §1: "1 s, doubling to 30 s, reset on success"): when a read of
 * its wake stream that the service answered with a server error (5xx) comes right after a read that succeeded, the
 * reader's next read arrives within the first backoff, 1 s, plus the failure's answer and the next read's delivery and
 * a tenth of a second for requests queued on the in-order channel. A backoff that keeps the waits of earlier failures
 * shows as a reconnect seconds later.
 *
 * Judged at the Durable Streams service (a read it turned away at the door while it was down is a read answered 503),
 * only where the service saw both reads and the reader saw the failure and the success before it: a read answered 429
 * (its Retry-After sets the wait), aborted by its reader, answered on a connection that dropped the answer, or whose
 * answer reached a reader that had closed the request meanwhile (the network's `answer-unclaimed`) starts nothing, nor
 * counts as the success a failure follows; a read the network dropped or hung on the way ends a measurement (the reader
 * did try) and is a failure the service never saw, so the failure after it is not the first after a success. A process
 * that ran a handler or claimed a wake (answered, turned away or dropped) between the failure and its next read is not
 * judged: a runner may finish the batch it was handling before it reconnects (v0.4's serial claims do). Nor is one sent
 * SIGTERM, nor a reader that never reads again (deaf-runner's business). One violation per reader.
 */
export function reconnectReset(history: RunHistory, timing: WorldTiming): Violation[] {
  const limitMs = RUNTIME_RULES.reconnectInitialBackoffMs + 2 * timing.maxDeliveryMs + 100;
  /**
   * Per reader (`<peer> <request path>`): whether its last attempt succeeded as the reader saw it, and when the service
   * answered it (an unclaimed answer names that instant; NaN for an attempt the service never saw).
   */
  const lastRead = new Map<string, { readonly succeeded: boolean; readonly answeredAtMs: number }>();
  const waiting = new Map<string, FirstFailure>();
  const unseenAnswers = new UnseenAnswers();
  const flagged = new Set<string>();
  const spans = new HandlerSpans();
  const violations: Violation[] = [];
  const forgetProcess = (peer: string): void => {
    for (const [reader, failure] of waiting) if (failure.peer === peer) waiting.delete(reader);
  };
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    spans.observe(event);
    const detail = event.detail;
    if (event.kind === 'sigterm' || event.kind === 'handler-start') return forgetProcess(event.actor);
    if (event.kind === 'claim-answered' || (typeof detail['path'] === 'string' && agentsRouteOf(detail['path'])?.route === 'claim')) return forgetProcess(String(detail['peer']));
    if (event.kind === 'answer-unclaimed') {
      // The reader closed that read before its answer came: it saw neither the success nor the failure it was.
      const reader = `${String(detail['peer'])} ${String(detail['path'])}`;
      const answeredAtMs = Number(detail['answeredAtMs']);
      if (lastRead.get(reader)?.answeredAtMs === answeredAtMs) lastRead.set(reader, { succeeded: false, answeredAtMs });
      const failure = waiting.get(reader);
      if (failure && (failure.failedAtMs === answeredAtMs || failure.afterSuccessAtMs === answeredAtMs)) waiting.delete(reader);
      return;
    }
    if (event.kind === 'fault') {
      unseenAnswers.observe(event);
      if (detail['kind'] === 'hung-connect' || detail['kind'] === 'connection-drop') {
        const request = `${String(detail['peer'])} ${String(detail['path'])}`;
        // The reader tried, and saw a failure the service did not: its next wait may be a doubled one.
        waiting.delete(request);
        lastRead.set(request, { succeeded: false, answeredAtMs: Number.NaN });
      }
      return;
    }
    const read = wakeStreamReadOf(event);
    if (!read) return;
    const reader = `${read.peer} ${read.path}`;
    const failure = waiting.get(reader);
    if (failure) {
      waiting.delete(reader);
      const waitMs = read.arrivedAtMs - failure.failedAtMs;
      if (waitMs > limitMs && !flagged.has(reader)) {
        flagged.add(reader);
        violations.push({
          property: 'protocol',
          message: `reconnect reset: ${read.peer} read ${failure.stream} again ${waitMs} ms after a failed read that followed a successful one (within ${limitMs} ms: the backoff starts again at ${RUNTIME_RULES.reconnectInitialBackoffMs} ms after a success)`,
          step: event.step,
          atMs: event.atMs,
          eventIndex,
        });
      }
    }
    const seen = unseenAnswers.seen(reader);
    const succeeded = !read.aborted && (read.status === 200 || read.status === 204) && seen;
    const serverError = !read.aborted && read.status >= 500 && seen;
    const previous = lastRead.get(reader);
    if (serverError && previous?.succeeded && spans.openIn(read.peer).length === 0) {
      waiting.set(reader, { peer: read.peer, stream: read.stream, failedAtMs: event.atMs, afterSuccessAtMs: previous.answeredAtMs });
    }
    lastRead.set(reader, { succeeded, answeredAtMs: event.atMs });
  });
  return violations;
}

/** A read of a wake stream as the service saw it: answered (`stream-read`), or turned away at the door while it was down. */
interface WakeStreamRead {
  readonly peer: string;
  readonly stream: string;
  /** The request path, as the network's faults name it. */
  readonly path: string;
  readonly arrivedAtMs: number;
  readonly status: number;
  readonly aborted: boolean;
}

function wakeStreamReadOf(event: TraceEvent): WakeStreamRead | undefined {
  const detail = event.detail;
  if (event.kind === 'stream-read') {
    const stream = String(detail['stream']);
    if (!WAKE_STREAM_PATTERN.test(stream)) return undefined;
    const arrivedAtMs = event.atMs - Number(detail['heldMs'] ?? 0);
    return { peer: String(detail['peer']), stream, path: streamPath(stream), arrivedAtMs, status: Number(detail['status']), aborted: detail['aborted'] === true };
  }
  if (event.kind !== 'request-refused' || event.actor !== 'durable-streams' || detail['method'] !== 'GET') return undefined;
  const path = String(detail['path']);
  const stream = path.startsWith(STREAM_ROOT) ? path.slice(STREAM_ROOT.length) : '';
  if (!WAKE_STREAM_PATTERN.test(stream)) return undefined;
  return { peer: String(detail['peer']), stream, path, arrivedAtMs: event.atMs, status: Number(detail['status']), aborted: false };
}
