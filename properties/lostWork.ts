import { LinkedWork, type LinkedItem } from './observed/linkedWork.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

type Detail = { readonly [key: string]: unknown };

/**
 * Work of an entity that no handler ever saw. Every item the Durable Streams service stored in a stream an entity's
 * subscription links (its inbox, a cron stream), and every payload of a wake row it appended to the subscription's wake
 * stream (a child's `runFinished` under `run-finished-delivery=wake-stream`), must be given to one of the entity's
 * handlers — as the scenario's own probe saw it — and:
 * - safety: an ack the service applied (`acks-applied`, or a done's wake-row cursor, `wake-rows-acked`) never moves a
 *   cursor past an item no handler had been given by then (the item is consumed, nobody will see it again); the
 *   violation is at that ack;
 * - liveness: an item stored before the quiet period began has been given to a handler by the end of the run.
 * Judged from the servers' observations and the scenario's probes; whatever the runtime says of itself is not read.
 * Each item is reported once.
 */
export function lostWork(history: RunHistory): Violation[] {
  const work = new LinkedWork();
  const violations: Violation[] = [];
  const reported = new Set<LinkedItem>();
  history.events.forEach((event, eventIndex) => {
    work.observe(event);
    if ((event.kind !== 'acks-applied' && event.kind !== 'wake-rows-acked') || event.annotation) return;
    const subscription = String(event.detail['subscription']);
    if (work.entity(subscription) === undefined) return;
    // A done's wake-row cursor is an ack of the subscription's wake rows in its wake stream.
    const acks = event.kind === 'acks-applied' ? ((event.detail['acks'] ?? []) as readonly Detail[]) : [{ stream: event.detail['wakeStream'], offset: event.detail['offset'] }];
    for (const ack of acks) {
      const unseen = work.itemsUpTo(subscription, String(ack['stream']), String(ack['offset'])).filter((item) => !work.wasSeen(item) && !reported.has(item));
      for (const item of unseen) {
        reported.add(item);
        violations.push({
          property: 'lost-work',
          message: `${subscription} acked ${item.stream} to ${String(ack['offset'])} (generation ${String(event.detail['generation'])}), past the item at ${item.offset} no handler of ${work.entity(subscription)} was given`,
          step: event.step,
          atMs: event.atMs,
          eventIndex,
        });
      }
    }
  });
  for (const item of work.entityItems()) {
    if (reported.has(item) || work.wasSeen(item) || item.atMs >= history.quietFromMs) continue;
    reported.add(item);
    violations.push({
      property: 'lost-work',
      message: `the item stored in ${item.stream} at ${item.offset} (${item.atMs} ms) for ${work.entity(item.subscription)} was never given to a handler`,
      step: history.steps,
      atMs: history.endMs,
    });
  }
  return violations;
}
