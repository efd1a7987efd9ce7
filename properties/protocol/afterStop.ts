import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';

/** A request a rule judges: who sent it, when it arrived at the service, and what it was, for the message. */
export interface StoppedRequest {
  readonly peer: string;
  readonly arrivedAtMs: number;
  /** The request in words, after the peer: `claimed sub:digest-1`, `read runners/r1/wake`. */
  readonly what: string;
  /**
   * When the network saw the request leave its sender (the observation's `sentAtMs`), when the service recorded it:
   * then the rule needs no allowance for the delivery, and judges when the request was sent.
   */
  readonly sentAtMs?: number;
}

/**
 * How long after SIGTERM a rule still allows a request, beyond the network's slack, and why (the end of the
 * violation's message).
 */
export interface StopAllowance {
  readonly ms: number;
  readonly reason: string;
}

/**
 * A rule of the form "no such request from a process after its SIGTERM": `requestOf` picks the requests the rule is
 * about out of the world's observations (it is asked of every observation but a SIGTERM, in trace order). A request is
 * a violation when it arrived too late to have been sent before its process's SIGTERM, or before the end of the
 * `allowance` after it; one violation per process, at the first such request, with the message
 * `<rule>: <peer> <what> <ms> ms after its SIGTERM` (`sent <ms> ms after` for a request judged by its send time), and
 * ` (<reason>)` with an allowance.
 *
 * Too late, for a request whose observation says when it was sent (`sentAtMs`): sent in a later millisecond than the
 * SIGTERM's, or than the end of the allowance after it (one sent in the SIGTERM's own millisecond may have left
 * before it). For any other, judged from its arrival: a request arrives at most one delivery after it was sent, except
 * behind others on an in-order channel:
 * each message queued ahead of it on the same channel arrives at least 1 ms before it (world/network/Network.ts), so a
 * request sent at or before SIGTERM arrives at most `maxDeliveryMs` plus the number of messages ahead of it later.
 * Those messages arrived after SIGTERM too, and each left an observation naming the process as its peer; counting
 * every observation with that peer since the SIGTERM over-counts them, which only makes the rule more lenient.
 */
export function requestsAfterStop(
  history: RunHistory,
  timing: WorldTiming,
  rule: string,
  requestOf: (event: TraceEvent) => StoppedRequest | undefined,
  allowance?: StopAllowance,
): Violation[] {
  const stoppedAtMs = new Map<string, number>();
  /** Per stopped process: observations naming it as peer since its SIGTERM, the request judged now included. */
  const seenSinceStop = new Map<string, number>();
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    if (event.kind === 'sigterm') {
      stoppedAtMs.set(event.actor, event.atMs);
      seenSinceStop.set(event.actor, 0);
      return;
    }
    const sender = event.detail['peer'];
    if (typeof sender === 'string' && seenSinceStop.has(sender)) seenSinceStop.set(sender, seenSinceStop.get(sender)! + 1);
    const request = requestOf(event);
    if (!request || flagged.has(request.peer)) return;
    const since = stoppedAtMs.get(request.peer);
    if (since === undefined) return;
    const allowedMs = allowance?.ms ?? 0;
    let late: string;
    if (request.sentAtMs === undefined) {
      const queuedAhead = Math.max(0, seenSinceStop.get(request.peer)! - 1);
      const lateByMs = request.arrivedAtMs - since;
      if (lateByMs <= allowedMs + timing.maxDeliveryMs + queuedAhead) return;
      late = `${lateByMs} ms after its SIGTERM`;
    } else {
      const sentLateByMs = request.sentAtMs - since;
      if (sentLateByMs <= allowedMs) return;
      late = `sent ${sentLateByMs} ms after its SIGTERM`;
    }
    flagged.add(request.peer);
    violations.push({
      property: 'protocol',
      message: `${rule}: ${request.peer} ${request.what} ${late}${allowance ? ` (${allowance.reason})` : ''}`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
