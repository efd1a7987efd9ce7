import type { Trace } from '../../sim/trace/Trace.ts';
import type { SubscriptionObserver } from './ReferenceSubscriptions.ts';

/**
 * Records what the pull-wake subscriptions do as the service's observations (actor `actor`): `linked-append` (an item
 * that landed in a linked stream: the subscriptions it is work for, the stream, the offset after it, the item itself),
 * `wake-appended` (subscription, generation, the linked stream that issued it, the wake stream and its offset there,
 * or null when the event was lost), `wake-unannounced` (a wake a done issued with work pending, for which
 * `pending-wake=answer-only` appended no event: subscription, generation, the linked stream, the wake stream), `lease-granted` (with the holder), `lease-extended`, `acks-applied` (each
 * stream's new cursor) `lease-ended` (why: done, released, expired, or lost to a restart), `wake-dropped` (an outstanding wake nobody
 * held, forgotten by a restart) and `wake-row-appended` (a wake row with a payload: subscription, generation, wake stream,
 * offset, payload, and whether it issued a wake) and `wake-rows-acked` (a done's wake-row cursor: every owed row up to
 * the offset is acknowledged).
 */
export function observeSubscriptions(trace: Trace, actor: string): SubscriptionObserver {
  return {
    itemLinked: (subscriptions, stream, offset, item) => void trace.record(actor, 'linked-append', { subscriptions: [...subscriptions], stream, offset, item }),
    wakeIssued: (subscription, generation, stream, offset, wakeStream) =>
      void trace.record(actor, 'wake-appended', { subscription, generation, stream, wakeStream: wakeStream ?? null, offset: offset ?? null }),
    wakeUnannounced: (subscription, generation, stream, wakeStream) => void trace.record(actor, 'wake-unannounced', { subscription, generation, stream, wakeStream: wakeStream ?? null }),
    leaseGranted: (subscription, generation, holder, leaseTtlMs) => void trace.record(actor, 'lease-granted', { subscription, generation, holder, leaseTtlMs }),
    leaseExtended: (subscription, generation) => void trace.record(actor, 'lease-extended', { subscription, generation }),
    acksApplied: (subscription, generation, acks) =>
      void trace.record(actor, 'acks-applied', { subscription, generation, acks: acks.map((ack) => ({ stream: ack.stream, offset: ack.offset })) }),
    wakeEnded: (subscription, generation, reason) => void trace.record(actor, 'lease-ended', { subscription, generation, reason }),
    wakeDropped: (subscription, generation) => void trace.record(actor, 'wake-dropped', { subscription, generation }),
    wakeRowAppended: (subscription, generation, wakeStream, offset, payload, issued) =>
      void trace.record(actor, 'wake-row-appended', { subscription, generation, wakeStream, offset, payload, issued }),
    wakeRowsAcked: (subscription, generation, wakeStream, offset) => void trace.record(actor, 'wake-rows-acked', { subscription, generation, wakeStream, offset }),
  };
}
