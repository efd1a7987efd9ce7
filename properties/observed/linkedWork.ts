import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';
import { itemKey } from './itemKey.ts';

/**
 * An item the Durable Streams service stored in a stream some subscription links, or the payload of a wake row it
 * appended to a subscription's wake stream: work for that subscription.
 */
export interface LinkedItem {
  readonly subscription: string;
  readonly stream: string;
  /** The offset after the item, as the service stored it. */
  readonly offset: string;
  readonly key: string;
  readonly atMs: number;
}

type Detail = { readonly [key: string]: TraceValue };

/**
 * Follows, event by event, the work each subscription's entity was given and what its handlers saw, from the world's
 * observations and the scenario's probes alone: `entity-created` (which subscription is which entity's),
 * `linked-append` (an item that is work for some subscriptions), `wake-row-appended` (a wake row whose payload is work
 * for its subscription) and `handler-start` (the items an entity's handler was given). Annotations are ignored.
 */
export class LinkedWork {
  private readonly entityOf = new Map<string, string>();
  private readonly items: LinkedItem[] = [];
  /** How many handler starts of the entity were given each item key, by entity. */
  private readonly given = new Map<string, Map<string, number>>();

  /** Feeds one event, in trace order. */
  observe(event: TraceEvent): void {
    if (event.annotation) return;
    const detail = event.detail;
    if (event.kind === 'entity-created') {
      this.entityOf.set(String(detail['subscription']), String(detail['entity']));
    } else if (event.kind === 'linked-append') {
      for (const subscription of (detail['subscriptions'] ?? []) as readonly TraceValue[]) {
        const stream = String(detail['stream']);
        this.items.push({ subscription: String(subscription), stream, offset: String(detail['offset']), key: itemKey(stream, detail['item']), atMs: event.atMs });
      }
    } else if (event.kind === 'wake-row-appended') {
      // A wake row's payload is work for its subscription too, carried by the row alone (in the wake stream).
      const stream = String(detail['wakeStream']);
      this.items.push({ subscription: String(detail['subscription']), stream, offset: String(detail['offset']), key: itemKey(stream, detail['payload']), atMs: event.atMs });
    } else if (event.kind === 'handler-start') {
      const entity = String(detail['entity']);
      const given = this.given.get(entity) ?? new Map<string, number>();
      for (const input of (detail['inputs'] ?? []) as readonly Detail[]) {
        const key = itemKey(String(input['stream']), input['item']);
        given.set(key, (given.get(key) ?? 0) + 1);
      }
      this.given.set(entity, given);
    }
  }

  /** The entity whose subscription this is, when the agents server said so. */
  entity(subscription: string): string | undefined {
    return this.entityOf.get(subscription);
  }

  /** Whether some handler of the subscription's entity was given the item (so far). */
  wasSeen(item: LinkedItem): boolean {
    return this.timesGiven(item) > 0;
  }

  /** How many handler starts of the subscription's entity were given the item (so far). */
  timesGiven(item: LinkedItem): number {
    const entity = this.entityOf.get(item.subscription);
    return entity === undefined ? 0 : (this.given.get(entity)?.get(item.key) ?? 0);
  }

  /** The items of `stream` that are `subscription`'s work, stored at or before `offset`. */
  itemsUpTo(subscription: string, stream: string, offset: string): LinkedItem[] {
    return this.items.filter((item) => item.subscription === subscription && item.stream === stream && item.offset <= offset);
  }

  /** The offset of the newest copy of `item` the service stored in `stream` as `subscription`'s work, if any. */
  newestOffsetOf(subscription: string, stream: string, item: TraceValue | undefined): string | undefined {
    const key = itemKey(stream, item);
    for (let index = this.items.length - 1; index >= 0; index -= 1) {
      const stored = this.items[index]!;
      if (stored.subscription === subscription && stored.key === key) return stored.offset;
    }
    return undefined;
  }

  /** Every item that was work for a subscription of an entity the agents server created. */
  entityItems(): LinkedItem[] {
    return this.items.filter((item) => this.entityOf.has(item.subscription));
  }
}
