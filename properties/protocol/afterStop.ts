import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';

/**
 * Tells, for rules of the form "nothing of this kind from a process after its SIGTERM", whether a request a service
 * observed may still have been sent before the process's SIGTERM. Fed every event in trace order.
 *
 * A request arrives at most one delivery after it was sent, except behind others on an in-order channel: each message
 * queued ahead of it on the same channel arrives at least 1 ms before it (world/network/Network.ts), so a request sent
 * at or before SIGTERM arrives at most `maxDeliveryMs` plus the number of messages ahead of it later. Those messages
 * arrived after SIGTERM too, and each left an observation naming the process as its peer; counting every observation
 * with that peer since the SIGTERM over-counts them, which only makes the rule more lenient.
 */
export class AfterStop {
  private readonly stoppedAtMs = new Map<string, number>();
  /** Per stopped process: observations naming it as peer since its SIGTERM. */
  private readonly seenSinceStop = new Map<string, number>();

  constructor(private readonly timing: WorldTiming) {}

  /** Takes in one event; call for every event, in order, before asking {@link lateByMs} about it. */
  observe(event: TraceEvent): void {
    if (event.annotation) return;
    if (event.kind === 'sigterm') {
      this.stoppedAtMs.set(event.actor, event.atMs);
      this.seenSinceStop.set(event.actor, 0);
      return;
    }
    const peer = event.detail['peer'];
    if (typeof peer === 'string' && this.seenSinceStop.has(peer)) this.seenSinceStop.set(peer, this.seenSinceStop.get(peer)! + 1);
  }

  /**
   * How long after `peer`'s SIGTERM a request of it arrived at `arrivedAtMs`, when that is too late for it to have been
   * sent before the SIGTERM; undefined when it may have been (or the process was never told to stop).
   */
  lateByMs(peer: string, arrivedAtMs: number): number | undefined {
    const stoppedAtMs = this.stoppedAtMs.get(peer);
    if (stoppedAtMs === undefined) return undefined;
    // The request's own observation was counted already: the ones ahead of it are the others.
    const queuedAhead = Math.max(0, this.seenSinceStop.get(peer)! - 1);
    const lateByMs = arrivedAtMs - stoppedAtMs;
    return lateByMs > this.timing.maxDeliveryMs + queuedAhead ? lateByMs : undefined;
  }
}
