import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TaskHandle } from '../../sim/scheduler/Task.ts';
import { HttpError } from '../network/HttpError.ts';
import type { DurableStreamsService, StreamItem } from './DurableStreamsService.ts';
import { BEGINNING_OFFSET, formatOffset, offsetAtOrBefore } from './offsets.ts';
import { ReferenceSubscriptions } from './ReferenceSubscriptions.ts';
import { schedulerClock } from './VirtualClock.ts';

/** Per-stream state of a claimed subscription, as the claim answer lists it. */
export interface ClaimedStream {
  readonly path: string;
  readonly acked_offset: string;
  readonly tail_offset: string;
  readonly has_pending: boolean;
}

/** A successful claim: the lease on one wake of one subscription. */
export interface Claim {
  readonly wake_id: string;
  readonly subscription_id: string;
  readonly generation: number;
  readonly token: string;
  readonly streams: readonly ClaimedStream[];
  readonly lease_ttl_ms: number;
}

/** The wake event appended to a runner's wake stream. */
export interface WakeEvent {
  readonly type: 'wake';
  readonly subscription_id: string;
  readonly stream: string;
  readonly generation: number;
  readonly ts: number;
}

const EMPTY_STREAM_TAIL = formatOffset(0);

interface Lease {
  readonly token: string;
  readonly generation: number;
  readonly expiry: TaskHandle;
}

interface Subscription {
  readonly id: string;
  readonly streams: readonly string[];
  readonly wakeStream: string;
  readonly ackedOffsets: Map<string, string>;
  generation: number;
  /** Highest generation acked with `done`: wake events up to it are settled. */
  doneGeneration: number;
  lease: Lease | undefined;
}

/** Timing of claims. */
export interface SubscriptionOptions {
  /** How long a claim holds the subscription before another wake may be issued, in milliseconds. */
  readonly leaseTtlMs: number;
}

/**
 * Pull-wake subscriptions of the Durable Streams service. An append to a linked stream of an unleased
 * subscription appends a wake event (next generation) to the subscription's wake stream; a claim takes the lease,
 * an ack with `done` applies offsets and releases it, and a lease that ends with work still pending issues another
 * wake. The acked offsets are durable: they are the correct, per-subscription consume cursor.
 *
 * The subscriptions the world makes with {@link subscribe} follow the simulator's model (semantics.md), which is
 * coarser than the reference server in a few ways listed in docs/fidelity.md (a wake per unleased append rather than
 * one per outstanding wake, cursors that start at `-1`, lenient acks). Subscriptions made over HTTP live in
 * {@link reference} and follow the reference server's rules exactly.
 */
export class PullWakeSubscriptions {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byStream = new Map<string, Subscription[]>();
  private nextToken = 1;
  /** Subscriptions created through the HTTP routes (`/v1/stream/__ds/subscriptions/...`), with the reference's rules. */
  readonly reference: ReferenceSubscriptions;

  constructor(
    private readonly sim: SimContext,
    private readonly streams: DurableStreamsService,
    private readonly options: SubscriptionOptions,
  ) {
    streams.onAppend((path, item) => this.onAppend(path, item));
    this.reference = new ReferenceSubscriptions(streams, schedulerClock(sim.scheduler));
  }

  subscribe(id: string, linkedStreams: readonly string[], wakeStream: string): void {
    const subscription: Subscription = {
      id,
      streams: linkedStreams,
      wakeStream,
      ackedOffsets: new Map(linkedStreams.map((path) => [path, BEGINNING_OFFSET])),
      generation: 0,
      doneGeneration: 0,
      lease: undefined,
    };
    this.subscriptions.set(id, subscription);
    for (const path of linkedStreams) this.byStream.set(path, [...(this.byStream.get(path) ?? []), subscription]);
  }

  claim(subscriptionId: string): Claim {
    const subscription = this.get(subscriptionId);
    if (subscription.lease) throw new HttpError(409, 'ALREADY_CLAIMED', 'subscription is claimed');
    const streams = this.streamStates(subscription);
    if (!streams.some((stream) => stream.has_pending)) throw new HttpError(409, 'NO_PENDING_WORK', 'no pending work');
    const token = `lease-${this.nextToken++}`;
    const generation = subscription.generation;
    const expiry = this.sim.scheduler.schedule(this.options.leaseTtlMs, 'durable-streams', `lease expiry ${subscriptionId}`, () => {
      if (subscription.lease?.token !== token) return;
      subscription.lease = undefined;
      this.sim.trace.record('durable-streams', 'lease-expired', { subscription: subscriptionId, generation });
      this.wakeIfPending(subscription);
    });
    subscription.lease = { token, generation, expiry };
    this.sim.trace.record('durable-streams', 'lease-granted', { subscription: subscriptionId, generation });
    return {
      wake_id: `${subscriptionId}/${generation}`,
      subscription_id: subscriptionId,
      generation,
      token,
      streams,
      lease_ttl_ms: this.options.leaseTtlMs,
    };
  }

  /** Applies acked offsets; with `done`, releases the lease (and wakes again if work arrived meanwhile). */
  ack(subscriptionId: string, token: string, generation: number, offsets: Readonly<Record<string, string>>, done: boolean): void {
    const subscription = this.get(subscriptionId);
    const lease = subscription.lease;
    if (!lease || lease.token !== token || lease.generation !== generation) {
      throw new HttpError(409, 'FENCED', `stale ack for generation ${generation}`);
    }
    for (const [path, offset] of Object.entries(offsets)) {
      const current = subscription.ackedOffsets.get(path);
      if (current !== undefined && offsetAtOrBefore(current, offset)) subscription.ackedOffsets.set(path, offset);
    }
    if (!done) return;
    this.sim.scheduler.cancel(lease.expiry);
    subscription.lease = undefined;
    subscription.doneGeneration = generation;
    this.sim.trace.record('durable-streams', 'lease-released', { subscription: subscriptionId, generation });
    this.wakeIfPending(subscription);
  }

  /**
   * True when a wake event of `generation` needs no more work: a later or equal generation was acked done, or the
   * subscription is idle with nothing pending.
   */
  isSettled(subscriptionId: string, generation: number): boolean {
    const subscription = this.get(subscriptionId);
    if (subscription.doneGeneration >= generation) return true;
    return !subscription.lease && !this.streamStates(subscription).some((stream) => stream.has_pending);
  }

  private onAppend(path: string, _item: StreamItem): void {
    for (const subscription of this.byStream.get(path) ?? []) {
      if (!subscription.lease) this.emitWake(subscription, path);
    }
  }

  private wakeIfPending(subscription: Subscription): void {
    const pending = this.streamStates(subscription).find((stream) => stream.has_pending);
    if (pending) this.emitWake(subscription, pending.path);
  }

  private emitWake(subscription: Subscription, path: string): void {
    subscription.generation += 1;
    const event: WakeEvent = {
      type: 'wake',
      subscription_id: subscription.id,
      stream: path,
      generation: subscription.generation,
      ts: this.sim.scheduler.nowMs,
    };
    const offset = this.streams.append(subscription.wakeStream, { ...event });
    this.sim.trace.record('durable-streams', 'wake-appended', { subscription: subscription.id, generation: event.generation, offset });
  }

  private streamStates(subscription: Subscription): ClaimedStream[] {
    return subscription.streams.map((path) => {
      const acked = subscription.ackedOffsets.get(path) ?? BEGINNING_OFFSET;
      const tail = this.streams.tailOffset(path);
      const hasItems = tail !== EMPTY_STREAM_TAIL;
      return { path, acked_offset: acked, tail_offset: tail, has_pending: hasItems && !offsetAtOrBefore(tail, acked) };
    });
  }

  private get(subscriptionId: string): Subscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw new HttpError(404, 'SUBSCRIPTION_NOT_FOUND', `subscription ${subscriptionId} not found`);
    return subscription;
  }
}
