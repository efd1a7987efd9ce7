import { AGENTS_ROUTES } from '../../protocol/agents/agentsRoutes.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { UnseenAnswers } from '../observed/unseenAnswers.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';

/** Renewal answers that end a claim for good: the wake's write token is unknown (401), or its generation is fenced (409). */
export const FINAL_REFUSALS: ReadonlySet<number> = new Set([401, 409]);

/**
 * A refused renewal is final: once the agents server answered a wake's renewal 401 (its write token unknown) or 409
 * (its generation fenced: semantics.md §1, "generation ... fences"), no later renewal of that wake comes from the same
 * process. A stale claim cannot be revived, and a runner that keeps renewing it keeps acting on a wake another may
 * hold. Only refusals whose answer reached the runner count (an answer the network lost is not one it saw), and a
 * renewal that arrives within two deliveries of the refusal may have been sent before the refusal reached it.
 */
export function renewalAfterRefusal(history: RunHistory, timing: WorldTiming): Violation[] {
  /** Per process and wake: when its renewal was refused for good, as the runner saw it. */
  const refusedAtMs = new Map<string, number>();
  const unseen = new UnseenAnswers();
  const flagged = new Set<string>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    unseen.observe(event);
    if (event.annotation || event.kind !== 'renew-received') return;
    const detail = event.detail;
    const key = `${String(detail['peer'])} ${String(detail['wakeId'])}`;
    const refused = refusedAtMs.get(key);
    if (refused !== undefined && event.atMs - refused > 2 * timing.maxDeliveryMs && !flagged.has(key)) {
      flagged.add(key);
      violations.push({
        property: 'protocol',
        message: `renewal after refusal: ${String(detail['peer'])} renewed ${String(detail['wakeId'])} ${event.atMs - refused} ms after the agents server refused its renewal for good`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      });
    }
    const seen = unseen.seen(`${String(detail['peer'])} ${AGENTS_ROUTES.renew(String(detail['wakeId']))}`);
    if (seen && refused === undefined && FINAL_REFUSALS.has(Number(detail['status']))) refusedAtMs.set(key, event.atMs);
  });
  return violations;
}
