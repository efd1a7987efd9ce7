import type { TraceValue } from '../../sim/trace/Trace.ts';
import { worldInvariant } from '../WorldInvariantError.ts';
import type { DurableStreamsService, StreamItem } from './DurableStreamsService.ts';
import { globMatch } from './globMatch.ts';
import { isoTimestamp } from './isoTimestamp.ts';
import { BEGINNING_OFFSET, ZERO_OFFSET } from './offsets.ts';
import type { LeaseStore } from './LeaseStore.ts';
import type { PendingWake } from './PendingWake.ts';
import { wallClockMs, type VirtualClock } from './VirtualClock.ts';

/** Subscriptions name streams relative to this root, as the reference server's subscription manager does. */
export const SUBSCRIPTION_STREAM_ROOT = '/v1/stream/';
/** Under the root, `__ds` is the control namespace: never a stream a subscription can link. */
const CONTROL_SEGMENT = '__ds';

/** Lease of a claim when the creator names none, and the bounds a creator must stay within (milliseconds). */
export const DEFAULT_LEASE_TTL_MS = 30_000;
export const MIN_LEASE_TTL_MS = 1_000;
export const MAX_LEASE_TTL_MS = 600_000;
/** How long a claim token stays valid (the reference's one hour, in seconds of virtual time). */
const TOKEN_TTL_SECONDS = 3_600;

export type SubscriptionKind = 'webhook' | 'pull-wake';
export type LinkType = 'glob' | 'explicit';
export type SubscriptionErrorCode =
  | 'INVALID_REQUEST'
  | 'SUBSCRIPTION_NOT_FOUND'
  | 'SUBSCRIPTION_ALREADY_EXISTS'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'FENCED'
  | 'ALREADY_CLAIMED'
  | 'NO_PENDING_WORK'
  | 'INVALID_OFFSET';

/** A subscription as its creator describes it (already validated and normalized by the HTTP route). */
export interface SubscriptionInput {
  readonly type: SubscriptionKind;
  /** Glob over stream names under the root: every matching stream is linked, now and when first written. */
  readonly pattern: string | undefined;
  /** Streams linked explicitly, by name under the root. */
  readonly streams: readonly string[];
  readonly webhookUrl: string | undefined;
  /** Name (under the root) of the stream wake events are appended to. */
  readonly wakeStream: string | undefined;
  readonly leaseTtlMs: number;
  readonly description: string | undefined;
}

/** Why a subscription operation was refused: the HTTP status and the error object of the reference's body. */
export interface SubscriptionFailure {
  readonly status: number;
  readonly code: SubscriptionErrorCode;
  readonly message?: string;
  readonly current_holder?: string;
  readonly generation?: number;
}

export type SubscriptionAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: SubscriptionFailure };

/** One linked stream as a claim lists it. */
export interface LinkedStreamState {
  readonly path: string;
  readonly link_type: LinkType;
  readonly acked_offset: string;
  readonly tail_offset: string;
  readonly has_pending: boolean;
}

/** A subscription as `GET` (and create) answer it; absent optional fields are left out of the JSON. */
export interface SubscriptionView {
  readonly id: string;
  readonly subscription_id: string;
  readonly type: SubscriptionKind;
  readonly pattern: string | undefined;
  readonly streams: ReadonlyArray<{ readonly path: string; readonly link_type: LinkType; readonly acked_offset: string }>;
  readonly webhook: undefined;
  readonly wake_stream: string | undefined;
  readonly lease_ttl_ms: number;
  readonly created_at: string;
  readonly status: 'active';
  readonly description: string | undefined;
}

/** A successful claim: the lease on the subscription's current wake. */
export interface WakeClaim {
  readonly wake_id: string;
  readonly generation: number;
  readonly token: string;
  readonly streams: readonly LinkedStreamState[];
  readonly lease_ttl_ms: number;
}

/** The JSON body of an ack, release or callback, as sent: fields are checked with the reference's strict equality. */
export interface WakeReport {
  readonly wake_id?: unknown;
  readonly generation?: unknown;
  readonly acks?: unknown;
  readonly done?: unknown;
  /** The wake-row cursor of a done: every owed wake row at or before this offset of the wake stream is acknowledged. */
  readonly wake_rows_to?: unknown;
}

/** Why a wake ended: `lost` when a restart of the service forgot its lease. */
export type WakeEndReason = 'done' | 'released' | 'expired' | 'lost';

/**
 * Told what the subscriptions do, as it happens: the simulated world records these as the service's observations.
 * Every method is optional to implement by being a no-op.
 */
export interface SubscriptionObserver {
  /**
   * A wake was issued; `wakeStreamOffset` is where its event landed in `wakeStream` (a name under the root), undefined
   * when the event was lost.
   */
  wakeIssued(subscription: string, generation: number, triggeredBy: string, wakeStreamOffset: string | undefined, wakeStream: string | undefined): void;
  /**
   * A wake was issued at done with work pending and, under `pending-wake=answer-only`, no event was appended for it:
   * only the done answer's `next_wake` announces it. Never called under the default `event`.
   */
  wakeUnannounced(subscription: string, generation: number, triggeredBy: string, wakeStream: string | undefined): void;
  leaseGranted(subscription: string, generation: number, holder: string, leaseTtlMs: number): void;
  /** An ack moved the lease's expiry, or the service gave a lease it kept across a restart a whole lease again. */
  leaseExtended(subscription: string, generation: number): void;
  /** Acks were applied: each stream's cursor moved to the offset given. */
  acksApplied(subscription: string, generation: number, acks: ReadonlyArray<{ readonly stream: string; readonly offset: string }>): void;
  wakeEnded(subscription: string, generation: number, reason: WakeEndReason): void;
  /** A restart of the service forgot an outstanding wake nobody held: its event stays in the wake stream, unclaimable. */
  wakeDropped(subscription: string, generation: number): void;
  /** An item landed in a stream that `subscriptions` link: work for each of them, appended at `offset`. */
  itemLinked(subscriptions: readonly string[], stream: string, offset: string, item: TraceValue): void;
  /**
   * A wake row with a payload ({@link ReferenceSubscriptions.appendWakeRow}) landed in `wakeStream` at `offset`: work for
   * `subscription`, carried by the row alone. `issued` when the row is the event of a wake it issued.
   */
  wakeRowAppended(subscription: string, generation: number, wakeStream: string, offset: string, payload: TraceValue, issued: boolean): void;
  /** A done acknowledged the subscription's owed wake rows up to `offset` of `wakeStream`. */
  wakeRowsAcked(subscription: string, generation: number, wakeStream: string, offset: string): void;
}

const SILENT: SubscriptionObserver = {
  wakeIssued: () => {},
  wakeUnannounced: () => {},
  leaseGranted: () => {},
  leaseExtended: () => {},
  acksApplied: () => {},
  wakeEnded: () => {},
  wakeDropped: () => {},
  itemLinked: () => {},
  wakeRowAppended: () => {},
  wakeRowsAcked: () => {},
};

/** Choices of the simulated world where it departs from the reference server on purpose (each a world switch). */
export interface ReferenceSubscriptionOptions {
  /** How the wake a done leaves pending is announced (`event`, the reference's behaviour, when absent; O2). */
  readonly pendingWake?: PendingWake;
  /** Whether a restart forgets leases (`memory`, the reference's behaviour, when absent) or keeps them (`durable`). */
  readonly leaseStore?: LeaseStore;
}

interface Link {
  readonly name: string;
  readonly linkTypes: Set<LinkType>;
  acked: string;
}

interface Subscription {
  readonly id: string;
  readonly input: SubscriptionInput;
  /** The creation settings in canonical form: a second create must match it exactly. */
  readonly canonical: string;
  readonly createdAt: string;
  readonly links: Map<string, Link>;
  generation: number;
  /** The wake issued and not yet finished (acked done, released or expired); null when none. */
  wakeId: string | null;
  token: string | null;
  holder: string | null;
  cancelLease: (() => void) | undefined;
  /**
   * The offsets of the wake rows ({@link ReferenceSubscriptions.appendWakeRow}) no done acknowledged yet, in append
   * order: work pending like a linked stream's, so a wake is issued (and claimable) while any is owed. Always empty in
   * a world without wake rows.
   */
  owedRows: string[];
}

interface TokenRecord {
  readonly subject: string;
  readonly epoch: number;
  readonly expiresAtSeconds: number;
}

const notFound: SubscriptionFailure = { status: 404, code: 'SUBSCRIPTION_NOT_FOUND', message: 'Subscription not found' };
const notPullWake: SubscriptionFailure = { status: 400, code: 'INVALID_REQUEST', message: 'Subscription is not pull-wake' };
const fail = <T>(failure: SubscriptionFailure): SubscriptionAnswer<T> => ({ ok: false, failure });
const succeed = <T>(value: T): SubscriptionAnswer<T> => ({ ok: true, value });

/**
 * Pull-wake subscriptions with the reference server's rules (its `SubscriptionManager`), as its HTTP routes create
 * and drive them. A subscription links streams (explicitly or by glob) to a wake stream. A write to a linked stream
 * issues a wake (next generation, one wake event) only when no wake is outstanding; further writes wait for it. A
 * claim leases the outstanding wake to one worker; acks move the per-stream cursors (never backwards, never past the
 * tail) and extend the lease; an ack with `done`, a release or an expired lease ends the wake, and a new one is
 * issued at once if work is still pending. Tokens carry the generation they were minted for, so a stale holder is
 * fenced.
 *
 * With `pendingWake: 'answer-only'` (the world's `pending-wake` switch, O2) the wake a done issues gets no wake event;
 * with `leaseStore: 'durable'` (`lease-store`) a restart keeps the leases ({@link suspend}); under the defaults every
 * path is the reference's.
 *
 * Differences from the reference, all deliberate (docs/fidelity.md): tokens and wake ids are minted from counters,
 * not random bytes; times are virtual (on the fixed virtual wall clock of `VirtualClock.ts`); webhook delivery is not simulated (creating a webhook subscription is refused
 * as on a reference server started without webhooks).
 */
export class ReferenceSubscriptions {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly tokens = new Map<string, TokenRecord>();
  private mintedTokens = 0;
  private issuedWakes = 0;
  /** False while the service is down ({@link suspend}): writes wake nobody then. */
  private running = true;

  constructor(
    private readonly streams: DurableStreamsService,
    private readonly clock: VirtualClock,
    private readonly observer: SubscriptionObserver = SILENT,
    private readonly options: ReferenceSubscriptionOptions = {},
  ) {
    streams.onAppend((path, item) => this.onItemAppended(path, item));
    streams.onWrite((path) => this.onStreamWrite(path));
    streams.onDelete((path) => this.onStreamDeleted(path));
  }

  /** Creates the subscription, or confirms it when one with this id has exactly these settings. */
  define(id: string, input: SubscriptionInput): SubscriptionAnswer<{ readonly created: boolean; readonly view: SubscriptionView }> {
    const canonical = canonicalSettings(input);
    const existing = this.subscriptions.get(id);
    if (existing) {
      if (existing.canonical !== canonical) {
        return fail({ status: 409, code: 'SUBSCRIPTION_ALREADY_EXISTS', message: 'Subscription already exists with different configuration' });
      }
      return succeed({ created: false, view: this.viewOf(existing) });
    }
    if (input.type === 'webhook') {
      return fail({ status: 400, code: 'INVALID_REQUEST', message: 'webhook subscriptions are not enabled on this server' });
    }
    if (!input.wakeStream) return fail({ status: 400, code: 'INVALID_REQUEST', message: 'pull-wake subscriptions require wake_stream' });
    const subscription: Subscription = {
      id,
      input,
      canonical,
      createdAt: isoTimestamp(wallClockMs(this.clock)),
      links: new Map(),
      generation: 0,
      wakeId: null,
      token: null,
      holder: null,
      cancelLease: undefined,
      owedRows: [],
    };
    // Linking starts at the tail: what a stream held before it was linked is not work for this subscription.
    for (const name of input.streams) this.link(subscription, name, 'explicit', this.tailOf(name));
    // An empty pattern (`/` normalized) links nothing, as in the reference, which tests it for truth.
    if (input.pattern) {
      for (const name of this.streamNames()) if (globMatch(input.pattern, name)) this.link(subscription, name, 'glob', this.tailOf(name));
    }
    this.subscriptions.set(id, subscription);
    return succeed({ created: true, view: this.viewOf(subscription) });
  }

  view(id: string): SubscriptionView | undefined {
    const subscription = this.subscriptions.get(id);
    return subscription && this.viewOf(subscription);
  }

  /** Forgets the subscription and its lease, if there is one (the route answers 204 either way). */
  remove(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    this.clearLease(subscription);
    this.subscriptions.delete(id);
  }

  /** Links more streams explicitly, at their current tails; false when there is no such subscription. */
  linkStreams(id: string, names: readonly string[]): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return false;
    for (const name of names) this.link(subscription, name, 'explicit', this.tailOf(name));
    return true;
  }

  /** Drops the explicit link of one stream (a glob link stays); false only when there is no such subscription. */
  unlinkStream(id: string, name: string): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return false;
    const normalized = normalizeStreamName(name);
    const link = subscription.links.get(normalized);
    if (!link) return true;
    link.linkTypes.delete('explicit');
    if (link.linkTypes.size === 0) subscription.links.delete(normalized);
    return true;
  }

  /** Leases the outstanding wake (issuing one if work is pending and none is) to `worker`. */
  claim(id: string, worker: string): SubscriptionAnswer<WakeClaim> {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return fail(notFound);
    if (subscription.input.type !== 'pull-wake') return fail(notPullWake);
    if (subscription.holder !== null) {
      // The reference answers this one without a message: the holder and generation say it all.
      return fail({ status: 409, code: 'ALREADY_CLAIMED', current_holder: subscription.holder, generation: subscription.generation });
    }
    if (!this.hasPendingWork(subscription)) return fail({ status: 409, code: 'NO_PENDING_WORK', message: 'Subscription has no pending work' });
    if (subscription.wakeId === null) this.issueWake(subscription, this.firstPendingStream(subscription));
    subscription.holder = worker;
    subscription.token = this.mintToken(subscription);
    this.extendLease(subscription);
    this.observer.leaseGranted(subscription.id, subscription.generation, worker, subscription.input.leaseTtlMs);
    this.assertLeaseShape(subscription);
    return succeed({
      wake_id: subscription.wakeId!,
      generation: subscription.generation,
      token: subscription.token,
      streams: this.linkedStates(subscription),
      lease_ttl_ms: subscription.input.leaseTtlMs,
    });
  }

  /**
   * Appends a wake row carrying `payload` to the subscription's wake stream, for a party that wakes a subscriber with
   * something to say (the agents server's `runFinished` wakes under `run-finished-delivery=wake-stream`; not a route of
   * the reference server). Wake rows are not coalesced: each row is appended, and its payload is in that row alone.
   * With no wake outstanding it issues one (the next generation), whose event is the row; otherwise the row carries the
   * current generation. Either way the row is owed until a done acknowledges it (`wake_rows_to`, a cursor over the
   * wake stream: every owed row at or before it): pending work like a linked stream's, so wakes are issued after it
   * until then, and a row read after the wake it came during was claimed still finds a wake to go to. False when
   * there is no such pull-wake subscription, its wake stream is missing or closed, or the service is down.
   */
  appendWakeRow(id: string, label: string, payload: TraceValue): boolean {
    const subscription = this.subscriptions.get(id);
    const wakeStream = subscription?.input.wakeStream;
    if (!subscription || !this.running || subscription.input.type !== 'pull-wake' || wakeStream === undefined) return false;
    const wakeStreamName = normalizeStreamName(wakeStream);
    const path = SUBSCRIPTION_STREAM_ROOT + wakeStreamName;
    if (this.streams.metadata(path)?.closed !== false) return false;
    if (subscription.wakeId === null && subscription.holder === null) {
      subscription.owedRows.push(this.issueWake(subscription, label, true, payload)!);
      return true;
    }
    const offset = this.streams.appendValues(path, [this.wakeEvent(subscription, label, payload)], { silent: true });
    subscription.owedRows.push(offset);
    this.observer.wakeRowAppended(subscription.id, subscription.generation, wakeStreamName, offset, payload, false);
    return true;
  }

  /**
   * Applies a worker's acks (all or none) and extends its lease; with `done: true` ends the wake. `requirePullWake`
   * is false for the webhook callback route, which the reference also accepts for pull-wake subscriptions.
   *
   * @throws TypeError for an `acks` value the reference cannot iterate either (its route then answers 500).
   */
  acknowledge(id: string, token: string, report: WakeReport, requirePullWake = true): SubscriptionAnswer<{ readonly next_wake: boolean }> {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return fail(notFound);
    if (requirePullWake && subscription.input.type !== 'pull-wake') return fail(notPullWake);
    const fenced = this.checkToken(subscription, token, report);
    if (fenced) return fail(fenced);
    const refused = this.applyAcks(subscription, report.acks);
    if (refused) return fail(refused);
    this.ackWakeRows(subscription, report.wake_rows_to);
    this.extendLease(subscription);
    this.observer.leaseExtended(subscription.id, subscription.generation);
    let nextWake = false;
    if (report.done === true) nextWake = this.endWake(subscription, 'done');
    this.assertLeaseShape(subscription);
    return succeed({ next_wake: nextWake });
  }

  /** A done's `wake_rows_to`: every owed wake row at or before it is acknowledged (a cursor; anything else is ignored). */
  private ackWakeRows(subscription: Subscription, to: unknown): void {
    if (typeof to !== 'string' || subscription.owedRows.length === 0) return;
    const acked = subscription.owedRows.filter((offset) => offset <= to);
    if (acked.length === 0) return;
    subscription.owedRows = subscription.owedRows.filter((offset) => offset > to);
    this.observer.wakeRowsAcked(subscription.id, subscription.generation, normalizeStreamName(subscription.input.wakeStream ?? ''), to);
  }

  /** Whether the wake row at `offset` of the subscription's wake stream is still owed (no done acknowledged it). */
  isRowOwed(id: string, offset: string): boolean {
    return this.subscriptions.get(id)?.owedRows.includes(offset) ?? false;
  }

  /** Gives the wake back without acking: the lease ends and, with work still pending, a new wake is issued. */
  release(id: string, token: string, report: WakeReport): SubscriptionAnswer<void> {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return fail(notFound);
    if (subscription.input.type !== 'pull-wake') return fail(notPullWake);
    const fenced = this.checkToken(subscription, token, report);
    if (fenced) return fail(fenced);
    this.endWake(subscription, 'released');
    this.assertLeaseShape(subscription);
    return succeed(undefined);
  }

  /**
   * True when the wake of `generation` needs no more work: a later wake was issued (which happens only after this one
   * ended), or it is the current generation and it ended. False for an unknown subscription.
   */
  isSettled(id: string, generation: number): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return false;
    return generation < subscription.generation || (generation === subscription.generation && subscription.wakeId === null);
  }

  /**
   * True when the wake of `generation` was claimed: it is held now, or it ended (a wake ends only from a lease: done,
   * release or expiry), or a later one was issued. Its event needs no reader any more: the holder finishes it, and an
   * expiry with work left issues a new wake event. False for an unknown subscription.
   */
  wasClaimed(id: string, generation: number): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return false;
    return this.isSettled(id, generation) || (generation === subscription.generation && subscription.holder !== null);
  }

  /**
   * The service goes down, and what it keeps only in memory is lost: every lease (holder, token, expiry timer), every
   * outstanding wake, every minted token. Subscription definitions, links, cursors and generations are kept, as a
   * service that persists its subscriptions keeps them (the reference server keeps even those only in memory; see
   * docs/modelling-choices.md). Under `leaseStore: 'durable'` leases, tokens and outstanding wakes are stored with
   * the subscriptions and kept too; no lease runs out while the service is down, and {@link resume} gives each a
   * whole lease again. Until {@link resume}, writes to linked streams issue no wake. Returns the leases lost.
   */
  suspend(): Array<{ readonly subscription: string; readonly generation: number; readonly holder: string }> {
    this.running = false;
    if (this.options.leaseStore === 'durable') {
      for (const subscription of this.subscriptions.values()) this.clearLease(subscription);
      return [];
    }
    const lost: Array<{ readonly subscription: string; readonly generation: number; readonly holder: string }> = [];
    for (const subscription of this.subscriptions.values()) {
      this.clearLease(subscription);
      if (subscription.holder !== null) {
        lost.push({ subscription: subscription.id, generation: subscription.generation, holder: subscription.holder });
        this.observer.wakeEnded(subscription.id, subscription.generation, 'lost');
      } else if (subscription.wakeId !== null) {
        this.observer.wakeDropped(subscription.id, subscription.generation);
      }
      subscription.token = null;
      subscription.holder = null;
      subscription.wakeId = null;
    }
    this.tokens.clear();
    return lost;
  }

  /**
   * The service is back: every subscription with pending work gets a new wake, as when a lease ends with work still
   * pending, so that work written before or during the restart is not stranded until the next write. A lease kept
   * across the restart (`leaseStore: 'durable'`) runs for a whole lease from now: its holder could not renew it while
   * the service was down, as a lock service that fails over extends its sessions' leases.
   */
  resume(): void {
    this.running = true;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.holder !== null) {
        this.extendLease(subscription);
        this.observer.leaseExtended(subscription.id, subscription.generation);
        continue;
      }
      if (subscription.wakeId === null && this.hasPendingWork(subscription)) this.issueWake(subscription, this.firstPendingStream(subscription));
    }
  }

  /** The holder of the subscription's lease, if any (for the world's invariants and reports). */
  holderOf(id: string): string | null {
    return this.subscriptions.get(id)?.holder ?? null;
  }

  /** The lease the subscription's current wake holds (its holder and generation), or undefined when none is held. */
  leaseOf(id: string): { readonly holder: string; readonly generation: number } | undefined {
    const subscription = this.subscriptions.get(id);
    return subscription && subscription.holder !== null ? { holder: subscription.holder, generation: subscription.generation } : undefined;
  }

  /** Tells the observer which subscriptions an appended item is work for (a glob links a stream by its first write). */
  private onItemAppended(path: string, item: StreamItem): void {
    const name = streamNameOf(path);
    if (name === undefined) return;
    const linking = [...this.subscriptions.values()].filter(
      (subscription) => subscription.links.has(name) || (subscription.input.pattern ? globMatch(subscription.input.pattern, name) : false),
    );
    if (linking.length > 0) this.observer.itemLinked(linking.map((subscription) => subscription.id), name, item.offset, item.value);
  }

  private onStreamWrite(path: string): void {
    const name = streamNameOf(path);
    if (name === undefined) return;
    for (const subscription of this.subscriptions.values()) {
      const pattern = subscription.input.pattern;
      if (pattern && globMatch(pattern, name)) {
        // A stream linked by its first write counts from the beginning: everything in it is work.
        this.link(subscription, name, 'glob', subscription.links.get(name)?.acked ?? BEGINNING_OFFSET);
      }
      if (this.running && subscription.links.has(name) && subscription.wakeId === null && subscription.holder === null && this.hasPendingWork(subscription)) {
        this.issueWake(subscription, name);
      }
    }
  }

  private onStreamDeleted(path: string): void {
    const name = streamNameOf(path);
    if (name === undefined) return;
    for (const subscription of this.subscriptions.values()) subscription.links.delete(name);
  }

  /**
   * Issues the next wake and appends its event to the wake stream; with `announce` false (only a done's wake under
   * `pending-wake=answer-only`) the wake is outstanding and claimable all the same, but no event is appended.
   */
  private issueWake(subscription: Subscription, triggeredBy: string, announce = true, payload?: TraceValue): string | undefined {
    // One wake at a time: a new one only once the last ended, and never while a lease is held.
    worldInvariant(subscription.wakeId === null && subscription.holder === null, 'durable-streams', () => `${subscription.id} issued a wake while wake ${subscription.wakeId} (held by ${subscription.holder}) is outstanding`);
    subscription.generation += 1;
    this.issuedWakes += 1;
    subscription.wakeId = `w_${this.issuedWakes.toString(16).padStart(24, '0')}`;
    const wakeStream = subscription.input.wakeStream;
    if (!announce) {
      this.observer.wakeUnannounced(subscription.id, subscription.generation, triggeredBy, wakeStream === undefined ? undefined : normalizeStreamName(wakeStream));
      return undefined;
    }
    if (wakeStream === undefined) return undefined;
    const wakeStreamName = normalizeStreamName(wakeStream);
    const path = SUBSCRIPTION_STREAM_ROOT + wakeStreamName;
    // Like the reference, a missing or closed wake stream loses the event but not the wake: it can still be claimed.
    if (this.streams.metadata(path)?.closed !== false) {
      this.observer.wakeIssued(subscription.id, subscription.generation, triggeredBy, undefined, wakeStreamName);
      return undefined;
    }
    const offset = this.streams.appendValues(path, [this.wakeEvent(subscription, triggeredBy, payload)], { silent: true });
    this.observer.wakeIssued(subscription.id, subscription.generation, triggeredBy, offset, wakeStreamName);
    if (payload !== undefined) this.observer.wakeRowAppended(subscription.id, subscription.generation, wakeStreamName, offset, payload, true);
    return offset;
  }

  /** A wake event of the subscription's current generation; with a payload only when a wake row carries one. */
  private wakeEvent(subscription: Subscription, triggeredBy: string, payload: TraceValue | undefined): { [key: string]: TraceValue } {
    return {
      type: 'wake',
      subscription_id: subscription.id,
      stream: triggeredBy,
      generation: subscription.generation,
      ts: wallClockMs(this.clock),
      ...(payload === undefined ? {} : { payload }),
    };
  }

  /**
   * Ends the current wake (done, release, expiry) and issues the next one if work is pending; true if it did. Under
   * `pending-wake=answer-only` the wake a done issues gets no wake event (see {@link issueWake}).
   */
  private endWake(subscription: Subscription, reason: WakeEndReason): boolean {
    this.clearLease(subscription);
    if (subscription.holder !== null) this.observer.wakeEnded(subscription.id, subscription.generation, reason);
    subscription.token = null;
    subscription.holder = null;
    subscription.wakeId = null;
    if (!this.hasPendingWork(subscription)) return false;
    // The reference appends the next wake's event whatever ended the wake; `answer-only` leaves a done's to its answer.
    const announce = reason !== 'done' || (this.options.pendingWake ?? 'event') === 'event';
    this.issueWake(subscription, this.firstPendingStream(subscription), announce);
    return true;
  }

  private extendLease(subscription: Subscription): void {
    this.clearLease(subscription);
    subscription.cancelLease = this.clock.startTimer(subscription.input.leaseTtlMs, `lease expiry ${subscription.id}`, () => {
      worldInvariant(subscription.holder !== null, 'durable-streams', () => `the lease of ${subscription.id} expired while nobody held it`);
      subscription.cancelLease = undefined;
      this.endWake(subscription, 'expired');
      this.assertLeaseShape(subscription);
    });
  }

  /** A held lease always names its wake, has a token and will expire; no lease means no token and no expiry timer. */
  private assertLeaseShape(subscription: Subscription): void {
    const held = subscription.holder !== null;
    worldInvariant(
      held ? subscription.wakeId !== null && subscription.token !== null && subscription.cancelLease !== undefined : subscription.token === null && subscription.cancelLease === undefined,
      'durable-streams',
      () => `the lease of ${subscription.id} (holder ${subscription.holder}, wake ${subscription.wakeId}) ${held ? 'has no wake, token or expiry' : 'left a token or an expiry timer behind'}`,
    );
  }

  private clearLease(subscription: Subscription): void {
    subscription.cancelLease?.();
    subscription.cancelLease = undefined;
  }

  private mintToken(subscription: Subscription): string {
    this.mintedTokens += 1;
    const token = `dst_${this.mintedTokens.toString(16).padStart(16, '0')}`;
    const expiresAtSeconds = Math.floor(wallClockMs(this.clock) / 1000) + TOKEN_TTL_SECONDS;
    this.tokens.set(token, { subject: tokenSubject(subscription.id), epoch: subscription.generation, expiresAtSeconds });
    return token;
  }

  /** The reference's order: the token must be one we minted for this subscription id and unexpired, then current. */
  private checkToken(subscription: Subscription, token: string, report: WakeReport): SubscriptionFailure | undefined {
    const record = this.tokens.get(token);
    if (!record || record.subject !== tokenSubject(subscription.id)) return { status: 401, code: 'TOKEN_INVALID', message: 'Token invalid' };
    if (Math.floor(wallClockMs(this.clock) / 1000) > record.expiresAtSeconds) return { status: 401, code: 'TOKEN_EXPIRED', message: 'Token expired' };
    if (record.epoch !== subscription.generation || report.generation !== subscription.generation || report.wake_id !== subscription.wakeId) {
      return { status: 409, code: 'FENCED', message: 'Wake generation is stale' };
    }
    return undefined;
  }

  private applyAcks(subscription: Subscription, acks: unknown): SubscriptionFailure | undefined {
    if (!acks) return undefined;
    // Compared with the operators the reference uses, whatever type the client sent.
    const entries = [...(acks as Iterable<{ stream?: unknown; path?: unknown; offset?: unknown }>)].map((ack) => ({
      stream: normalizeStreamName((ack.stream ?? ack.path ?? '') as string),
      offset: ack.offset as string,
    }));
    const invalid = (message: string): SubscriptionFailure => ({ status: 409, code: 'INVALID_OFFSET', message });
    // Every ack is checked before any is applied: one bad ack leaves every cursor where it was.
    for (const { stream, offset } of entries) {
      const link = subscription.links.get(stream);
      if (!stream || !link) return invalid('Ack references an unknown subscription stream');
      if (offset === BEGINNING_OFFSET) return invalid('Ack offset must not be -1');
      if (offset < link.acked) return invalid('Ack offset regresses the committed cursor');
      if (offset > this.tailOf(stream)) return invalid('Ack offset is beyond stream tail');
    }
    // Applied in order, as the reference does: a stream acked twice in one request ends at its last ack, which the
    // checks above held to the committed cursor, not to the ack before it.
    const committed = new Map(entries.map(({ stream }) => [stream, subscription.links.get(stream)!.acked] as const));
    for (const { stream, offset } of entries) {
      // The checks above must have refused what would move a cursor behind the committed one or past the tail.
      worldInvariant(offset >= committed.get(stream)! && offset <= this.tailOf(stream), 'durable-streams', () => `${subscription.id} moved the cursor of ${stream} from ${committed.get(stream)!} to ${offset} (tail ${this.tailOf(stream)})`);
      subscription.links.get(stream)!.acked = offset;
    }
    if (entries.length > 0) this.observer.acksApplied(subscription.id, subscription.generation, entries);
    return undefined;
  }

  private hasPendingWork(subscription: Subscription): boolean {
    return subscription.owedRows.length > 0 || this.linkedStates(subscription).some((state) => state.has_pending);
  }

  private firstPendingStream(subscription: Subscription): string {
    return this.linkedStates(subscription).find((state) => state.has_pending)?.path ?? '';
  }

  private linkedStates(subscription: Subscription): LinkedStreamState[] {
    return [...subscription.links.values()].map((link) => {
      const tail = this.tailOf(link.name);
      // Plain string order, as in the reference: `-1` sorts below every offset, so a stream linked from the
      // beginning is pending even while empty.
      return { path: link.name, link_type: link.linkTypes.has('explicit') ? 'explicit' : 'glob', acked_offset: link.acked, tail_offset: tail, has_pending: tail > link.acked };
    });
  }

  private link(subscription: Subscription, name: string, type: LinkType, acked: string): void {
    const normalized = normalizeStreamName(name);
    const existing = subscription.links.get(normalized);
    if (existing) existing.linkTypes.add(type);
    else subscription.links.set(normalized, { name: normalized, linkTypes: new Set([type]), acked });
  }

  private tailOf(name: string): string {
    return this.streams.metadata(SUBSCRIPTION_STREAM_ROOT + normalizeStreamName(name))?.tailOffset ?? ZERO_OFFSET;
  }

  private streamNames(): string[] {
    return this.streams.paths().flatMap((path) => {
      const name = streamNameOf(path);
      return name === undefined ? [] : [name];
    });
  }

  private viewOf(subscription: Subscription): SubscriptionView {
    const { input } = subscription;
    return {
      id: subscription.id,
      subscription_id: subscription.id,
      type: input.type,
      pattern: input.pattern,
      streams: this.linkedStates(subscription).map(({ path, link_type, acked_offset }) => ({ path, link_type, acked_offset })),
      webhook: undefined,
      wake_stream: input.wakeStream,
      lease_ttl_ms: input.leaseTtlMs,
      created_at: subscription.createdAt,
      status: 'active',
      description: input.description,
    };
  }
}

/** A stream name under the root without leading or trailing slashes, as the reference keys its links. */
export function normalizeStreamName(name: string): string {
  return name.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The name under the root of the stream at `path`, or undefined for paths outside it and the control namespace. */
function streamNameOf(path: string): string | undefined {
  if (!path.startsWith(SUBSCRIPTION_STREAM_ROOT)) return undefined;
  const name = path.slice(SUBSCRIPTION_STREAM_ROOT.length);
  if (name === CONTROL_SEGMENT || name.startsWith(`${CONTROL_SEGMENT}/`)) return undefined;
  return name.length > 0 ? name : undefined;
}

function tokenSubject(id: string): string {
  return `subscription:${id}`;
}

function canonicalSettings(input: SubscriptionInput): string {
  return JSON.stringify({
    type: input.type,
    pattern: input.pattern,
    streams: [...new Set(input.streams)].sort(),
    webhook: input.webhookUrl === undefined ? undefined : { url: input.webhookUrl },
    wake_stream: input.wakeStream,
    lease_ttl_ms: input.leaseTtlMs,
    description: input.description,
  });
}
