import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';

type Detail = { readonly [key: string]: TraceValue };

/**
 * The cursor the Durable Streams service holds per subscription and linked stream, as the acks it applied
 * (`acks-applied`) moved it: what a claim's `acked_offset` lists. Annotations are ignored.
 */
export class SubscriptionCursors {
  private readonly bySubscription = new Map<string, Map<string, string>>();

  /** Feeds one event, in trace order. */
  observe(event: TraceEvent): void {
    if (event.annotation || event.kind !== 'acks-applied') return;
    const subscription = String(event.detail['subscription']);
    const cursors = this.bySubscription.get(subscription) ?? new Map<string, string>();
    for (const ack of (event.detail['acks'] ?? []) as readonly Detail[]) cursors.set(String(ack['stream']), String(ack['offset']));
    this.bySubscription.set(subscription, cursors);
  }

  /** The subscription's cursor in `stream`, if an ack ever moved it. */
  cursor(subscription: string, stream: string): string | undefined {
    return this.bySubscription.get(subscription)?.get(stream);
  }

  /** A copy of the subscription's cursors by stream, as they stand now. */
  snapshot(subscription: string): ReadonlyMap<string, string> {
    return new Map(this.bySubscription.get(subscription) ?? []);
  }
}
