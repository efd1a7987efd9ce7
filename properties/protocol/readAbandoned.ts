import { streamPath } from '../../protocol/streams/streamsProtocol.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { heartbeatObservationOf } from '../observed/heartbeatObservations.ts';
import { UnseenAnswers } from '../observed/unseenAnswers.ts';
import { WAKE_STREAM_PATTERN } from '../observed/wakeKey.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/**
 * A runner gives up a read of its wake stream that the service still holds only for a reason semantics.md §1 gives: its
 * stop, two heartbeats in a row that failed ("Two heartbeat failures in a row reset the stream"), or no answer from
 * the stream for `unansweredReadAbandonMs` (30 s, the read watchdog's contract). Judged at the Durable Streams
 * service: a held read of a wake stream that its reader aborted (`stream-read` with `aborted`) less than 30 s after the
 * service last answered that reader a read it saw, from a process not sent SIGTERM, whose last two heartbeats were not
 * both failures as the runner saw them (answered 503 by a `heartbeat-failure`, turned away, dropped on the way or its
 * answer lost). Reads the network or a restart of the service cut (at a `network-outage` or `ds-restart` fault, within a
 * delivery) are the world's doing; a process with a heartbeat the network hung is not judged further (when it fails
 * depends on the runtime's request deadline). One violation per reader.
 */
export function readAbandoned(history: RunHistory, timing: WorldTiming): Violation[] {
  /** Per reader (`<peer> <request path>`): when the service last answered it a read its answer reached. */
  const lastAnsweredAtMs = new Map<string, number>();
  const unseenAnswers = new UnseenAnswers();
  /**
   * Per process: its last two heartbeats' outcomes as the runner saw them (true: ok), the newest last, and the instant of
   * the newest. One heartbeat may show twice at that instant (heartbeatObservations.ts): its second observation is not
   * counted again, and a failure among them wins (the runner saw its heartbeat fail).
   */
  const heartbeats = new Map<string, { outcomes: boolean[]; newestAtMs: number }>();
  const notJudged = new Set<string>();
  const flagged = new Set<string>();
  let lastCutAtMs = Number.NEGATIVE_INFINITY;
  const violations: Violation[] = [];
  const heartbeatOutcome = (peer: string, atMs: number, ok: boolean): void => {
    const known = heartbeats.get(peer);
    if (known?.newestAtMs === atMs) {
      if (!ok) known.outcomes[known.outcomes.length - 1] = false;
      return;
    }
    heartbeats.set(peer, { outcomes: [...(known?.outcomes.slice(-1) ?? []), ok], newestAtMs: atMs });
  };
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    const detail = event.detail;
    if (event.kind === 'sigterm') return void notJudged.add(event.actor);
    if (event.kind === 'fault' && (detail['kind'] === 'network-outage' || detail['kind'] === 'ds-restart')) {
      lastCutAtMs = event.atMs;
      return;
    }
    const heartbeat = heartbeatObservationOf(event);
    if (heartbeat) {
      if (heartbeat.outcome === 'hung') notJudged.add(heartbeat.peer);
      else heartbeatOutcome(heartbeat.peer, event.atMs, heartbeat.outcome === 'ok');
      return;
    }
    unseenAnswers.observe(event);
    const peer = detail['peer'];
    if (typeof peer !== 'string') return;
    if (event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(detail['stream']))) return;
    const reader = `${peer} ${streamPath(String(detail['stream']))}`;
    if (detail['aborted'] !== true) {
      if (unseenAnswers.seen(reader)) lastAnsweredAtMs.set(reader, event.atMs);
      return;
    }
    if (notJudged.has(peer) || flagged.has(reader) || event.atMs - lastCutAtMs <= timing.maxDeliveryMs) return;
    const answeredAtMs = lastAnsweredAtMs.get(reader);
    if (answeredAtMs === undefined || event.atMs - answeredAtMs >= RUNTIME_RULES.unansweredReadAbandonMs - timing.maxDeliveryMs) return;
    if (heartbeats.get(peer)?.outcomes.filter((ok) => !ok).length === 2) return;
    flagged.add(reader);
    violations.push(abandoned(event, eventIndex, peer, answeredAtMs));
  });
  return violations;
}

function abandoned(event: TraceEvent, eventIndex: number, peer: string, answeredAtMs: number): Violation {
  return {
    property: 'protocol',
    message: `read abandoned: ${peer} gave up its read of ${String(event.detail['stream'])} held ${String(event.detail['heldMs'] ?? 0)} ms, ${event.atMs - answeredAtMs} ms after the service last answered it, with no stop and no two heartbeat failures in a row (a read is given up after ${RUNTIME_RULES.unansweredReadAbandonMs} ms without an answer)`,
    step: event.step,
    atMs: event.atMs,
    eventIndex,
  };
}
