import { chooseInRange, choosePercent } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { FaultMoment, FaultPointOptions } from './FaultPointOptions.ts';
import type { PlatformFaultKind } from './PlatformFaults.ts';
import { isSharedStream } from './sharedStreams.ts';

/** Carries out a platform fault now; `process` names the host process the moment concerns, when there is one. */
export type StrikePlatformFault = (kind: PlatformFaultKind, process: string | undefined) => void;

const FAULTS_ACTOR = 'faults';

/**
 * Platform faults at the moments that matter (issue 15), besides those at uniform times: the world watches what its
 * own services observe (claims answered, wakes granted and done, shared-stream reads, posts and the writes that record
 * them, leases granted, heartbeats, processes started, SIGTERM sent) and, at each such moment of the run's
 * revision, asks whether a fault strikes in the window it opens. Three choices, all hinted with the fault
 * `at:<moment>` (so swarm gives each moment its own per-run rate): whether (a `fault` hint, 0 = no), which of the
 * run's enabled platform kinds (a count), and how long after the moment (a range, 0 first). A fault whose window
 * closed before it struck (the wake was done, say) is skipped. At most `maxPerRun` moments set one off; after that,
 * and in the quiet period, moments ask nothing.
 */
export class FaultPoints {
  private struck = 0;
  /** Ids of granted wakes whose done has not arrived. */
  private readonly wakesInFlight = new Set<string>();
  /** Processes that posted to the chat and have not written to shared state since. */
  private readonly unrecordedPosts = new Set<string>();
  private readonly exited = new Set<string>();
  /** Per runner: the offset its heartbeats last reported. */
  private readonly reportedOffsets = new Map<string, string>();
  /** Per subscription: its lease's ttl, and the pending `lease-expiring` moment of its current lease. */
  private readonly leaseTtlMs = new Map<string, number>();
  private readonly leaseMoments = new Map<string, () => void>();

  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultPointOptions,
    /** The moments this run watches (those of its revision, `FAULT_MOMENT_REVISIONS`); the others ask nothing. */
    private readonly watched: ReadonlySet<FaultMoment>,
    /** The run's enabled platform fault kinds, in canonical order: what a moment may set off. */
    private readonly kinds: readonly PlatformFaultKind[],
    private readonly active: () => boolean,
    private readonly strike: StrikePlatformFault,
  ) {
    if (kinds.length > 0) sim.trace.onRecord((event) => this.observe(event));
  }

  private observe(event: TraceEvent): void {
    const detail = event.detail;
    const peer = typeof detail['peer'] === 'string' ? detail['peer'] : undefined;
    switch (event.kind) {
      case 'claim-answered': {
        this.moment('claim-outstanding', peer);
        if (detail['status'] !== 200) return;
        const wakeId = String(detail['wakeId']);
        this.wakesInFlight.add(wakeId);
        this.moment('wake-in-flight', peer, () => this.wakesInFlight.has(wakeId));
        return;
      }
      case 'done-received':
        this.wakesInFlight.delete(String(detail['wakeId']));
        return;
      case 'stream-read':
        if (detail['live'] === false && isSharedStream(String(detail['stream']))) this.moment('preload', peer);
        return;
      case 'action-performed': {
        const poster = peer ?? '';
        this.unrecordedPosts.add(poster);
        this.moment('post-unrecorded', peer, () => this.unrecordedPosts.has(poster));
        return;
      }
      case 'shared-write':
        this.unrecordedPosts.delete(peer ?? '');
        return;
      case 'heartbeat-received': {
        const runner = String(detail['runner']);
        const offset = String(detail['offset']);
        const news = this.reportedOffsets.get(runner) !== offset;
        this.reportedOffsets.set(runner, offset);
        if (news) this.moment('heartbeat-in-flight', peer);
        return;
      }
      case 'process-start':
        this.moment('start-up', event.actor, () => !this.exited.has(event.actor));
        return;
      case 'sigterm':
        this.moment('stop-drain', event.actor, () => !this.exited.has(event.actor));
        return;
      case 'process-exit':
        this.exited.add(event.actor);
        return;
      case 'lease-granted':
        this.leaseTtlMs.set(String(detail['subscription']), Number(detail['leaseTtlMs']));
        this.watchLease(String(detail['subscription']));
        return;
      case 'lease-extended':
        this.watchLease(String(detail['subscription']));
        return;
      case 'lease-ended':
        this.leaseMoments.get(String(detail['subscription']))?.();
        this.leaseMoments.delete(String(detail['subscription']));
        return;
      case 'streams-down':
        // A lease the service keeps across the restart (`lease-store=durable`) does not run out while it is down; its
        // moment is armed again by the whole lease it gets when the service is back (`lease-extended`).
        for (const cancel of this.leaseMoments.values()) cancel();
        this.leaseMoments.clear();
        return;
    }
  }

  /** Arms the `lease-expiring` moment of a subscription's lease, replacing the one of its previous expiry. */
  private watchLease(subscription: string): void {
    this.leaseMoments.get(subscription)?.();
    this.leaseMoments.delete(subscription);
    const ttlMs = this.leaseTtlMs.get(subscription);
    if (ttlMs === undefined || !this.mayStrike()) return;
    const inMs = Math.max(0, ttlMs - this.options.leaseExpiringLeadMs);
    const handle = this.sim.scheduler.schedule(inMs, FAULTS_ACTOR, `lease of ${subscription} about to expire`, () => {
      this.leaseMoments.delete(subscription);
      this.moment('lease-expiring', undefined);
    });
    this.leaseMoments.set(subscription, () => this.sim.scheduler.cancel(handle));
  }

  private mayStrike(): boolean {
    return this.active() && this.struck < this.options.maxPerRun;
  }

  /** Asks whether a fault strikes in the window `moment` opens; `stillOpen` tells, when it strikes, whether it is. */
  private moment(moment: FaultMoment, process: string | undefined, stillOpen: () => boolean = () => true): void {
    if (!this.watched.has(moment) || !this.mayStrike()) return;
    const { choices, scheduler, trace } = this.sim;
    const { percent, maxDelayMs } = this.options.moments[moment];
    const fault = `at:${moment}`;
    if (!choosePercent(choices, percent, `fault at ${moment}`, fault)) return;
    const kind = this.kinds[choices.choose(this.kinds.length, `fault kind at ${moment}`, { kind: 'count', fault })]!;
    const delayMs = chooseInRange(choices, 0, maxDelayMs, `fault delay at ${moment}`, { kind: 'range', fault });
    this.struck += 1;
    trace.record(FAULTS_ACTOR, 'fault-point', { moment, kind, host: process ?? null, delayMs });
    scheduler.schedule(delayMs, FAULTS_ACTOR, `${kind} at ${moment}`, () => {
      const skipped = !this.active() ? 'quiet period' : !stillOpen() ? 'moment passed' : undefined;
      if (skipped) trace.record(FAULTS_ACTOR, 'fault-skipped', { kind, moment, reason: skipped });
      else this.strike(kind, process);
    });
  }
}
