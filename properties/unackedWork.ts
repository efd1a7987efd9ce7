import { LinkedWork } from './observed/linkedWork.ts';
import { SubscriptionCursors } from './observed/subscriptionCursors.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * Liveness: work a handler was given is acknowledged by the end of the run. Every item that is work for an entity's
 * subscription (as {@link LinkedWork} follows it), stored before the quiet period began and given to one of the
 * entity's handlers, lies at or behind the subscription's cursor in its stream when the run ends — the cursor the
 * Durable Streams service moved for the acks it applied (`acks-applied`), or, for a wake row's payload, for a done's
 * wake-row cursor (`wake-rows-acked`). An item handled but never acked keeps its subscription pending: the service
 * wakes the entity for it again and again (a done the servers refuse every time, acks a runtime never sends), each
 * wake redoing the work. Items no handler was given are `lost-work`'s; this property does not report them again.
 * Judged from the servers' observations and the scenario's probes alone. One violation per item, at the end.
 */
export function unackedWork(history: RunHistory): Violation[] {
  const work = new LinkedWork();
  const cursors = new SubscriptionCursors();
  /** A done's wake-row cursor per subscription and wake stream: the ack of wake rows' payloads. */
  const wakeRowCursors = new Map<string, string>();
  for (const event of history.events) {
    work.observe(event);
    cursors.observe(event);
    if (event.kind === 'wake-rows-acked' && !event.annotation) {
      wakeRowCursors.set(cursorKey(String(event.detail['subscription']), String(event.detail['wakeStream'])), String(event.detail['offset']));
    }
  }
  const violations: Violation[] = [];
  for (const item of work.entityItems()) {
    if (item.atMs >= history.quietFromMs || !work.wasSeen(item)) continue;
    const cursor = cursors.cursor(item.subscription, item.stream) ?? wakeRowCursors.get(cursorKey(item.subscription, item.stream));
    if (cursor !== undefined && item.offset <= cursor) continue;
    const given = work.timesGiven(item);
    violations.push({
      property: 'unacked-work',
      message: `the item stored in ${item.stream} at ${item.offset} (${item.atMs} ms) for ${work.entity(item.subscription)!} was given to its handlers ${given === 1 ? 'once' : `${given} times`} and never acked: ${item.subscription}'s cursor ends ${cursor === undefined ? 'unmoved' : `at ${cursor}`}`,
      step: history.steps,
      atMs: history.endMs,
    });
  }
  return violations;
}

function cursorKey(subscription: string, stream: string): string {
  return `${subscription} ${stream}`;
}
