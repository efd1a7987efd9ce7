import { HandlerSpans } from './observed/handlerSpans.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * Liveness: at the end of the quiet period no claim is active without a live wake, so no entity is left running. The
 * agents server's claims still active at the end (`RunHistory.endState`) are each judged: the wake is live while the
 * Durable Streams service still leases it, or — where the scenario cannot tell — while a handler of it that the
 * scenario's probe saw start has not ended in a host still alive. Any other active claim is stuck: its entity stays
 * "running" in the server's database with nothing that will ever finish it (a done lost to a restart, a wake a stop
 * abandoned, with no reaper to release it).
 */
export function stuckClaim(history: RunHistory): Violation[] {
  const live = new Set(history.endState.liveHosts);
  const liveWakes = new Set(HandlerSpans.openAtEnd(history.events).filter((span) => live.has(span.process)).map((span) => span.wakeId));
  return history.endState.activeClaims
    .filter((claim) => claim.leaseHeld !== true && !liveWakes.has(claim.wakeId))
    .map((claim) => {
      const since = claim.claimedAtMs === undefined ? '' : ` since ${claim.claimedAtMs} ms`;
      const generation = claim.generation === undefined ? '' : ` (generation ${claim.generation})`;
      return {
        property: 'stuck-claim',
        message: `claim of wake ${claim.wakeId}${generation} on ${claim.subscription} by ${claim.runner} active${since} with no live wake: its lease ended and no handler runs`,
        step: history.steps,
        atMs: history.endMs,
      };
    });
}
