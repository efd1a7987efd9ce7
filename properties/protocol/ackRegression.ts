import { SubscriptionCursors } from '../observed/subscriptionCursors.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';

type Detail = { readonly [key: string]: unknown };

/**
 * Acked offsets never move backwards: a runner's done never acks a stream below the cursor the service already holds
 * for that subscription (`-1` included). The service refuses such an ack (`INVALID_OFFSET`) and applies none, so the
 * cursors themselves never regress (a world invariant); what this judges is the runner that sent it. Dones refused
 * before their acks were looked at (a stale token, a fenced generation) are not judged.
 */
export function ackRegression(history: RunHistory): Violation[] {
  const subscriptionOf = new Map<string, string>();
  const cursors = new SubscriptionCursors();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    cursors.observe(event);
    const detail = event.detail;
    if (event.kind === 'claim-answered' && detail['status'] === 200) subscriptionOf.set(String(detail['wakeId']), String(detail['subscription']));
    else if (event.kind === 'done-received' && detail['code'] === 'INVALID_OFFSET') {
      const subscription = String(subscriptionOf.get(String(detail['wakeId'])));
      const backwards = ((detail['acks'] ?? []) as readonly Detail[]).find((ack) => {
        const cursor = cursors.cursor(subscription, String(ack['stream']));
        return ack['offset'] === '-1' || (cursor !== undefined && String(ack['offset']) < cursor);
      });
      if (!backwards) return;
      violations.push({
        property: 'protocol',
        message: `ack regression: ${String(detail['peer'])} acked ${String(backwards['stream'])} back to ${String(backwards['offset'])} (cursor ${cursors.cursor(subscription, String(backwards['stream'])) ?? 'none'}) in the done of ${String(detail['wakeId'])}`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      });
    }
  });
  return violations;
}
