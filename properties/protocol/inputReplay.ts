import type { TraceValue } from '../../sim/trace/Trace.ts';
import { LinkedWork } from '../observed/linkedWork.ts';
import { SubscriptionCursors } from '../observed/subscriptionCursors.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';

type Detail = { readonly [key: string]: TraceValue };

/**
 * A wake's handler is given only work its subscription had not consumed when the wake was claimed: no item the
 * Durable Streams service stored at or before the cursor it held for that stream when the agents server granted the
 * claim (the `acked_offset` the claim's answer lists, semantics.md §1: an ack applies the acked offsets, and they are
 * durable). A runtime that reads a linked stream from further back than that hands its handler items an earlier wake
 * already handled and acked: the handler acts on them again. An item is recognised by its content (itemKey) and placed
 * at the last offset the service stored it at, so an item that repeats is judged by its newest copy. Judged from the
 * service's observations (`linked-append`, `acks-applied`), the agents server's `claim-answered` and the scenario's
 * `handler-start` probe; items the service never stored (a foreign item) and wakes no claim granted are not judged.
 * One violation per wake.
 */
export function inputReplay(history: RunHistory): Violation[] {
  const work = new LinkedWork();
  const cursors = new SubscriptionCursors();
  /** Per granted wake: its subscription and that subscription's cursors when the claim was granted. */
  const claimed = new Map<string, { readonly subscription: string; readonly cursors: ReadonlyMap<string, string> }>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    work.observe(event);
    cursors.observe(event);
    const detail = event.detail;
    if (event.kind === 'claim-answered' && detail['status'] === 200) {
      const subscription = String(detail['subscription']);
      claimed.set(String(detail['wakeId']), { subscription, cursors: cursors.snapshot(subscription) });
    } else if (event.kind === 'handler-start') {
      const claim = claimed.get(String(detail['wakeId']));
      if (!claim) return;
      const inputs = (detail['inputs'] ?? []) as readonly Detail[];
      const consumed = inputs.flatMap((input) => {
        const stream = String(input['stream']);
        const stored = work.newestOffsetOf(claim.subscription, stream, input['item']);
        const cursor = claim.cursors.get(stream);
        return stored !== undefined && cursor !== undefined && stored <= cursor ? [{ stream, stored, cursor }] : [];
      });
      if (consumed.length === 0) return;
      const first = consumed[0]!;
      violations.push({
        property: 'protocol',
        message: `input replay: the handler of ${String(detail['wakeId'])} (${String(detail['entity'])}) was given ${consumed.length} item(s) its subscription had already consumed, the first at ${first.stored} of ${first.stream}, with the cursor at ${first.cursor} when the claim was granted`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      });
    }
  });
  return violations;
}
