import { streamPath } from '../../protocol/streams/streamsProtocol.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
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
  const answersLost = new Set<string>();
  /** Per process: its heartbeats' outcomes as the runner saw them, the newest last (two kept). */
  const heartbeats = new Map<string, boolean[]>();
  const notJudged = new Set<string>();
  const flagged = new Set<string>();
  let lastCutAtMs = Number.NEGATIVE_INFINITY;
  const violations: Violation[] = [];
  /**
   * One heartbeat may leave two observations at one instant: a `heartbeat-failure` fault and the refusal it causes, or
   * a `lost-answer` fault and the service's `heartbeat-received`, in either order. Per process, the instant of the newest
   * heartbeat counted, so that its second observation is not counted again; a failure among them wins (the runner saw
   * its heartbeat fail).
   */
  const newestAtMs = new Map<string, number>();
  const heartbeatOutcome = (peer: string, atMs: number, ok: boolean): void => {
    const outcomes = heartbeats.get(peer) ?? [];
    if (newestAtMs.get(peer) === atMs) {
      if (!ok) outcomes[outcomes.length - 1] = false;
    } else outcomes.push(ok);
    newestAtMs.set(peer, atMs);
    heartbeats.set(peer, outcomes.slice(-2));
  };
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    const detail = event.detail;
    if (event.kind === 'sigterm') return void notJudged.add(event.actor);
    const peer = detail['peer'];
    if (event.kind === 'fault') {
      const kind = detail['kind'];
      if (kind === 'network-outage' || kind === 'ds-restart') lastCutAtMs = event.atMs;
      if (typeof peer !== 'string') return;
      if (kind === 'heartbeat-failure') return heartbeatOutcome(peer, event.atMs, false);
      const path = String(detail['path']);
      if (agentsRouteOf(path)?.route === 'heartbeat') {
        if (kind === 'hung-request') notJudged.add(peer);
        else heartbeatOutcome(peer, event.atMs, false);
        return;
      }
      if (kind === 'stale-connection' || kind === 'lost-answer') answersLost.add(`${peer} ${path}`);
      return;
    }
    if (typeof peer !== 'string') return;
    if (event.kind === 'heartbeat-received') return heartbeatOutcome(peer, event.atMs, Number(detail['status']) < 300);
    if (event.kind === 'request-refused' && agentsRouteOf(String(detail['path']))?.route === 'heartbeat') return heartbeatOutcome(peer, event.atMs, false);
    if (event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(detail['stream']))) return;
    const reader = `${peer} ${streamPath(String(detail['stream']))}`;
    if (detail['aborted'] !== true) {
      if (!answersLost.delete(reader)) lastAnsweredAtMs.set(reader, event.atMs);
      return;
    }
    if (notJudged.has(peer) || flagged.has(reader) || event.atMs - lastCutAtMs <= timing.maxDeliveryMs) return;
    const answeredAtMs = lastAnsweredAtMs.get(reader);
    if (answeredAtMs === undefined || event.atMs - answeredAtMs >= RUNTIME_RULES.unansweredReadAbandonMs - timing.maxDeliveryMs) return;
    if ((heartbeats.get(peer) ?? []).filter((ok) => !ok).length === 2) return;
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
