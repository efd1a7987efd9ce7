import { itemKey } from './observed/itemKey.ts';
import { LinkedWork } from './observed/linkedWork.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';
import type { TraceValue } from '../sim/trace/Trace.ts';

type Detail = { readonly [key: string]: TraceValue };

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
  const cursors = new Map<string, string>();
  /** How many handler starts were given each item, by entity and item key. */
  const timesGiven = new Map<string, number>();
  for (const event of history.events) {
    work.observe(event);
    if (event.annotation) continue;
    const detail = event.detail;
    if (event.kind === 'acks-applied') {
      for (const ack of (detail['acks'] ?? []) as readonly Detail[]) cursors.set(cursorKey(String(detail['subscription']), String(ack['stream'])), String(ack['offset']));
    } else if (event.kind === 'wake-rows-acked') {
      cursors.set(cursorKey(String(detail['subscription']), String(detail['wakeStream'])), String(detail['offset']));
    } else if (event.kind === 'handler-start') {
      for (const input of (detail['inputs'] ?? []) as readonly Detail[]) {
        const key = `${String(detail['entity'])} ${itemKey(String(input['stream']), input['item'])}`;
        timesGiven.set(key, (timesGiven.get(key) ?? 0) + 1);
      }
    }
  }
  const violations: Violation[] = [];
  for (const item of work.entityItems()) {
    if (item.atMs >= history.quietFromMs || !work.wasSeen(item)) continue;
    const cursor = cursors.get(cursorKey(item.subscription, item.stream));
    if (cursor !== undefined && item.offset <= cursor) continue;
    const entity = work.entity(item.subscription)!;
    const given = timesGiven.get(`${entity} ${item.key}`) ?? 0;
    violations.push({
      property: 'unacked-work',
      message: `the item stored in ${item.stream} at ${item.offset} (${item.atMs} ms) for ${entity} was given to its handlers ${given === 1 ? 'once' : `${given} times`} and never acked: ${item.subscription}'s cursor ends ${cursor === undefined ? 'unmoved' : `at ${cursor}`}`,
      step: history.steps,
      atMs: history.endMs,
    });
  }
  return violations;
}

function cursorKey(subscription: string, stream: string): string {
  return `${subscription} ${stream}`;
}
