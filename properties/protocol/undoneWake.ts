import { AGENTS_ROUTES } from '../../protocol/agents/agentsRoutes.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { wakeKey } from '../observed/wakeKey.ts';
import { FINAL_REFUSALS } from './renewalAfterRefusal.ts';

/** A handler the scenario's probe saw end, in a process, with no done for its wake from that process since. */
interface EndedHandler {
  readonly process: string;
  readonly wakeId: string;
  readonly endedAtMs: number;
}

/**
 * How long before the end of a run a handler must have ended for its process's done to be owed by then: long enough for
 * a manifest commit and a done retried through a restart of the agents server (down for at most 10 s,
 * `serverDowntimeMaxMs`), short of the quiet period every scenario ends with.
 */
export const DONE_OWED_AFTER_MS = 60_000;

/**
 * Every wake a handler ran is acked as done: semantics.md §1, "processWake", steps 4 and 5 (a failed wake too "is
 * still acked as done"; the next wake is the only retry). Judged at the end of a run that reached its horizon or ran
 * out of work: a handler the scenario's probe saw end (`handler-end`) at least {@link DONE_OWED_AFTER_MS} before the
 * end, in a process still alive at the end that was never sent SIGTERM, is followed by an attempt at its wake's done
 * from that process — received by the agents server whatever its answer (`done-received`), turned away at the door
 * (`request-refused`), or dropped by the network on its way (`fault` on the done route). A process with a request the
 * network hung (`hung-request`) is not judged: a commit or a done that never fails holds the done back until the
 * runtime gives up on it, which is not this rule's business. Nor is a wake whose claim the servers had taken back
 * before its handler ended — its lease ended by the Durable Streams service (expired, or lost to a restart) or a
 * renewal of it refused as final (401, 409: renewalAfterRefusal.ts) — for its done would be
 * refused: a runtime may abandon it. One violation per wake and process.
 */
export function undoneWake(history: RunHistory): Violation[] {
  if (history.endedBy !== 'horizon' && history.endedBy !== 'idle') return [];
  const live = new Set(history.endState.liveHosts);
  const notJudged = new Set<string>();
  /** By `<process> <done route of the wake>`, as a done's request names it (`AGENTS_ROUTES.done`). */
  const awaitingDone = new Map<string, EndedHandler>();
  /** Granted wakes by `<subscription>#<generation>`, and the wakes whose claim the servers took back. */
  const wakeOfGeneration = new Map<string, string>();
  const takenBack = new Set<string>();
  /** When a done of a wake first came from a process before a handler of it had ended there, by the same key. */
  const doneBeforeEnd = new Map<string, number>();
  for (const event of history.events) {
    if (event.annotation) continue;
    const detail = event.detail;
    if (event.kind === 'sigterm') notJudged.add(event.actor);
    else if (event.kind === 'handler-end') {
      const wakeId = String(detail['wakeId']);
      if (!takenBack.has(wakeId)) awaitingDone.set(`${event.actor} ${AGENTS_ROUTES.done(wakeId)}`, { process: event.actor, wakeId, endedAtMs: event.atMs });
    } else if (event.kind === 'claim-answered' && detail['status'] === 200) {
      wakeOfGeneration.set(wakeKey(detail), String(detail['wakeId']));
    } else if (event.kind === 'lease-ended' && detail['reason'] !== 'done') {
      const wakeId = wakeOfGeneration.get(wakeKey(detail));
      if (wakeId !== undefined) takenBack.add(wakeId);
    } else if (event.kind === 'renew-received' && FINAL_REFUSALS.has(Number(detail['status']))) {
      takenBack.add(String(detail['wakeId']));
    } else {
      const peer = detail['peer'];
      if (typeof peer !== 'string') continue;
      if (event.kind === 'fault' && detail['kind'] === 'hung-request') notJudged.add(peer);
      const donePath = doneAttemptOf(event);
      if (donePath === undefined) continue;
      const key = `${peer} ${donePath}`;
      if (awaitingDone.has(key)) awaitingDone.delete(key);
      else if (!doneBeforeEnd.has(key)) doneBeforeEnd.set(key, event.atMs);
    }
  }
  return [...awaitingDone.entries()]
    .filter(([, ended]) => live.has(ended.process) && !notJudged.has(ended.process) && history.endMs - ended.endedAtMs >= DONE_OWED_AFTER_MS)
    .map(([key, ended]) => {
      const earlyAtMs = doneBeforeEnd.get(key);
      // A done sent while the handler still ran acked work it had not finished: say so, or "no done" reads as false.
      const early = earlyAtMs === undefined ? '' : ` (a done of it came at ${earlyAtMs} ms, before the handler ended)`;
      return {
        property: 'protocol',
        message: `wake left undone: the handler of wake ${ended.wakeId} ended in ${ended.process} at ${ended.endedAtMs} ms, and no done of it came from ${ended.process} after that by the end (${history.endMs} ms), which it lived to${early}`,
        step: history.steps,
        atMs: history.endMs,
      };
    });
}

/** The done route an observation shows a request sent to (`AGENTS_ROUTES.done`), if it shows one. */
function doneAttemptOf(event: TraceEvent): string | undefined {
  if (event.kind === 'done-received') return AGENTS_ROUTES.done(String(event.detail['wakeId']));
  if (event.kind !== 'request-refused' && event.kind !== 'fault') return undefined;
  const path = event.detail['path'];
  return typeof path === 'string' ? path : undefined;
}
