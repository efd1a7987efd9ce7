import type { TraceValue } from '../../sim/trace/Trace.ts';
import { itemKey } from '../observed/itemKey.ts';
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
  /** The service's cursor per subscription and stream, as its applied acks moved it. */
  const cursors = new Map<string, string>();
  /** The newest offset the service stored each item at, per subscription and item. */
  const storedAt = new Map<string, string>();
  /** Per granted wake: its subscription and that subscription's cursors when the claim was granted. */
  const claimed = new Map<string, { readonly subscription: string; readonly cursors: ReadonlyMap<string, string> }>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    const detail = event.detail;
    if (event.kind === 'linked-append') {
      const key = itemKey(String(detail['stream']), detail['item']);
      for (const subscription of (detail['subscriptions'] ?? []) as readonly TraceValue[]) storedAt.set(`${String(subscription)} ${key}`, String(detail['offset']));
    } else if (event.kind === 'acks-applied') {
      for (const ack of (detail['acks'] ?? []) as readonly Detail[]) cursors.set(`${String(detail['subscription'])} ${String(ack['stream'])}`, String(ack['offset']));
    } else if (event.kind === 'claim-answered' && detail['status'] === 200) {
      const subscription = String(detail['subscription']);
      const prefix = `${subscription} `;
      const atClaim = new Map<string, string>();
      for (const [key, offset] of cursors) if (key.startsWith(prefix)) atClaim.set(key.slice(prefix.length), offset);
      claimed.set(String(detail['wakeId']), { subscription, cursors: atClaim });
    } else if (event.kind === 'handler-start') {
      const claim = claimed.get(String(detail['wakeId']));
      if (!claim) return;
      const inputs = (detail['inputs'] ?? []) as readonly Detail[];
      const consumed = inputs.flatMap((input) => {
        const stream = String(input['stream']);
        const stored = storedAt.get(`${claim.subscription} ${itemKey(stream, input['item'])}`);
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
