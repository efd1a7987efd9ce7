import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { UnheardRegistrations } from '../observed/unheardRegistrations.ts';
import { heartbeatObservationOf } from '../observed/heartbeatObservations.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/** One registered runner process being judged: when a heartbeat of it was last heard of. */
interface Heartbeating {
  readonly peer: string;
  readonly runner: string;
  lastHeardAtMs: number;
}

/**
 * Heartbeat interval: a runner process the agents server registered sends a heartbeat at least every 30 s
 * (`heartbeatIntervalMs`, semantics.md §1) from its registration until its SIGTERM, its exit or the end of the run. A
 * registration whose answer the network lost (`lost-answer`) does not count: the runner never learnt of it, and
 * registers again.
 *
 * A heartbeat is heard of when the agents server received it (stored or answered 503 by a `heartbeat-failure`), turned
 * it away at the door (`request-refused`, while it restarts), or the network dropped it on its way there
 * (`connection-drop`, `lost-answer`: the world saw it sent). Between two heartbeats heard of, at most the interval, the
 * 2 s spacing (`heartbeatMinGapMs`: an interval beat may queue behind an offset-change beat), two round trips (its own
 * previous one and one queued ahead of it), its own delivery, and a second for requests queued ahead of it on the
 * process's in-order channel (world/network/Network.ts); with `world-configured` absent, deliveries count as 0 ms.
 *
 * A heartbeat the network hung (`hung-request`) holds back the heartbeats queued behind it until the runtime gives up
 * on it; how soon a runtime gives up on a request is not this rule's business, so from then on that process is not
 * judged. One violation per runner process, at the first observation past its deadline (or at the end of the run).
 */
export function heartbeatSilence(history: RunHistory, timing: WorldTiming): Violation[] {
  const silenceMaxMs = RUNTIME_RULES.heartbeatIntervalMs + RUNTIME_RULES.heartbeatMinGapMs + 5 * timing.maxDeliveryMs + 1_000;
  /** By `<peer> <runner>`: the runner processes judged now. */
  const judged = new Map<string, Heartbeating>();
  /** Processes no longer judged (stopped, exited, flagged, or with a heartbeat hung): a late observation does not restart them. */
  const ended = new Set<string>();
  const unheard = new UnheardRegistrations(history.events);
  const violations: Violation[] = [];
  const flag = (key: string, process: Heartbeating, atMs: number, step: number, eventIndex: number | undefined): void => {
    judged.delete(key);
    ended.add(process.peer);
    violations.push({
      property: 'protocol',
      message: `heartbeat interval: ${process.peer} sent no heartbeat of ${process.runner} for more than ${silenceMaxMs} ms after ${process.lastHeardAtMs} ms (one at least every ${RUNTIME_RULES.heartbeatIntervalMs} ms while it runs)`,
      step,
      atMs,
      ...(eventIndex === undefined ? {} : { eventIndex }),
    });
  };
  const overdue = (atMs: number, step: number, eventIndex: number | undefined): void => {
    // Run at every event: no copy of the map (deleting the entry being visited is safe in a Map's iteration).
    for (const [key, process] of judged) if (atMs - process.lastHeardAtMs > silenceMaxMs) flag(key, process, atMs, step, eventIndex);
  };
  const endJudging = (peer: string): void => {
    ended.add(peer);
    for (const [key, process] of judged) if (process.peer === peer) judged.delete(key);
  };

  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    overdue(event.atMs, event.step, eventIndex);
    if (event.kind === 'sigterm' || event.kind === 'process-exit') return endJudging(event.actor);
    const peer = event.detail['peer'];
    if (typeof peer !== 'string' || ended.has(peer)) return;
    if (event.kind === 'runner-registered') {
      const runner = String(event.detail['runner']);
      const key = `${peer} ${runner}`;
      // Not judged from a registration whose answer was lost: the runner never learnt of it.
      if (!judged.has(key) && !unheard.isUnheard(event)) judged.set(key, { peer, runner, lastHeardAtMs: event.atMs });
      return;
    }
    const heard = heartbeatObservationOf(event);
    if (heard?.outcome === 'hung') return endJudging(peer);
    if (heard === undefined) return;
    for (const process of judged.values()) if (process.peer === peer && (heard.runner === undefined || heard.runner === process.runner)) process.lastHeardAtMs = event.atMs;
  });
  overdue(history.endMs, history.steps, undefined);
  return violations;
}
