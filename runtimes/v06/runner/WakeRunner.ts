import { createActor, toPromise, type Actor } from 'xstate';
import type { WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import { asWakeEvent, type WakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import type { ClaimAnswer } from '../agents/AgentsClient.ts';
import { BusyStreams } from '../claims/BusyStreams.ts';
import { claimActor } from '../claims/claimActor.ts';
import { deferralFor } from '../claims/deferralFor.ts';
import { SameStreamClaimGuard } from '../claims/SameStreamClaimGuard.ts';
import { V06_TIMING } from '../config/timing.ts';
import { HeartbeatPump } from '../heartbeat/HeartbeatPump.ts';
import { errorLine } from '../http/ServiceError.ts';
import { createRunnerLifecycle, lifecycleStateName, type LifecycleStateName } from '../lifecycle/runnerLifecycle.ts';
import { WakeStreamSession, type WakeStreamBatch } from '../streams/WakeStreamSession.ts';
import { processWake, type WakeEnd } from '../wake/processWake.ts';
import type { WakeEnvironment } from '../wake/WakeEnvironment.ts';
import type { RunnerEnvironment, RunnerPlacement } from './RunnerEnvironment.ts';
import { SettledLowWaterMark, type SettleWake } from './SettledLowWaterMark.ts';
import { settleWithin } from './settleWithin.ts';

/** A wake event as the runner read it, with the way to mark it settled for the low-water mark. */
interface WakeRead {
  readonly event: WakeEvent;
  /** The end of the batch it came in. */
  readonly offset: string;
  readonly settle: SettleWake;
}

type ClaimActorRef = Actor<typeof claimActor>;

/**
 * The pull-wake runner of one host process, shaped like agents-runtime 0.6.x: its lifecycle is the XState machine of
 * `lifecycle/runnerLifecycle.ts`; while streaming, each item of the wake stream advances the in-memory offset and each
 * wake event goes through the same-stream claim guard to a claim actor of its own; a granted claim dispatches
 * `processWake` without awaiting it. Heartbeats report the read offset, or with `offset=durable` the settled
 * low-water mark; two failed heartbeats in a row reset the stream. A stop closes the claim gate (`acceptingClaims`, so
 * a claim answered during the stop is not dispatched: B4(c)) and drops deferred events, waits up to 1 s for claims in
 * flight to be answered, aborts those that were not, abandons the waits of in-flight wakes and lets them drain (up to
 * 10 s), then sends a final heartbeat.
 *
 * A claim the server answered counts as settled for the low-water mark even when the closed gate kept it from being
 * dispatched: nothing is lost by not reading its wake again, since a granted lease the runner never acks expires and
 * the service then emits a new wake for the work still pending. A claim without an answer (aborted, or failed) leaves
 * its wake unsettled: whether the service ever saw it is unknown, so the next runner must read it again.
 */
export class WakeRunner {
  private readonly lifecycle;
  private readOffset: string;
  private readonly settledMark: SettledLowWaterMark;
  private acceptingClaims = true;
  private readonly busy = new BusyStreams();
  private readonly guard: SameStreamClaimGuard<WakeRead>;
  private readonly claims = new Map<ClaimActorRef, Promise<void>>();
  private readonly wakes = new Set<Promise<WakeEnd>>();
  /** Aborted by a stop: the waits of in-flight wakes give up. */
  private readonly stopWaits = new AbortController();
  private readonly heartbeats: HeartbeatPump;
  private readonly wakeEnv: WakeEnvironment;
  private reportedState: LifecycleStateName = 'stopped';

  constructor(
    private readonly env: RunnerEnvironment,
    private readonly placement: RunnerPlacement,
  ) {
    this.readOffset = placement.startOffset;
    this.settledMark = new SettledLowWaterMark(placement.startOffset);
    this.guard = new SameStreamClaimGuard(this.busy, deferralFor<WakeRead>(env.settings.deferral), {
      claim: (read) => this.claim(read),
      displaced: (read) => {
        // One-slot deferral overwrote it: this runner will never claim it (O1). It no longer holds the mark back.
        read.settle();
        env.annotate('wake-displaced', { subscription: read.event.subscription_id, generation: read.event.generation });
      },
    });
    this.heartbeats = new HeartbeatPump({
      reportedOffset: () => this.reportedOffset(),
      send: (offset) => env.agents.heartbeat(placement.runnerId, offset),
      failureStreak: () => {
        env.annotate('stream-reset', { reason: 'heartbeat failures' });
        this.lifecycle.send({ type: 'STREAM_RESET' });
      },
      annotate: (kind, detail) => env.annotate(kind, detail),
    });
    this.wakeEnv = {
      agents: env.agents,
      fetch: env.fetch,
      streamsBaseUrl: env.urls.durableStreams,
      wiring: env.settings.wiring,
      handlers: env.handlers,
      stopSignal: this.stopWaits.signal,
      annotate: env.annotate,
    };
    const machine = createRunnerLifecycle<WakeStreamSession>({
      connect: (signal) => WakeStreamSession.open(env.fetch, env.urls.durableStreams, placement.wakeStream, this.readOffset, signal),
      follow: (session, signal) => session.follow(signal, (batch) => this.onBatch(batch)),
      beginStop: () => this.closeClaimGate(),
      drain: () => this.drain(),
    });
    this.lifecycle = createActor(machine);
    this.lifecycle.subscribe({
      next: (snapshot) => this.noteState(lifecycleStateName(snapshot)),
      error: (error) => env.annotate('runner-error', { error: errorLine(error) }),
    });
  }

  /** The lifecycle state, by its reported name. */
  get state(): LifecycleStateName {
    return this.reportedState;
  }

  start(): void {
    this.lifecycle.start();
    this.lifecycle.send({ type: 'START' });
    this.heartbeats.start();
  }

  /** A graceful stop; resolves once the lifecycle is back in `stopped`. */
  stop(): Promise<void> {
    if (this.reportedState === 'stopped') return Promise.resolve();
    const stopped = new Promise<void>((resolve) => {
      const watch = this.lifecycle.subscribe((snapshot) => {
        if (lifecycleStateName(snapshot) !== 'stopped') return;
        watch.unsubscribe();
        resolve();
      });
    });
    this.lifecycle.send({ type: 'STOP' });
    return stopped;
  }

  /**
   * Each item advances the in-memory offset; each wake event is offered to the claim guard. The protocol gives one
   * offset per answer, so every item of a batch is read "at" the batch's end.
   */
  private onBatch(batch: WakeStreamBatch): void {
    const events = batch.items.map((item) => asWakeEvent(item));
    const settles = this.settledMark.batchRead(batch.offset, events.filter((event) => event !== undefined).length);
    this.readOffset = batch.offset;
    let wakeIndex = 0;
    for (const event of events) {
      if (!event) continue;
      const read: WakeRead = { event, offset: batch.offset, settle: settles[wakeIndex]! };
      wakeIndex += 1;
      this.env.annotate('wake-read', { offset: batch.offset, subscription: event.subscription_id, generation: event.generation });
      this.guard.offer(event.subscription_id, read);
    }
    this.heartbeats.offsetMayHaveChanged();
  }

  /** One claim actor per wake event; many run at once (B4(b)). A claim error is reported, never fatal (B4(a)). */
  private claim(read: WakeRead): void {
    const key = read.event.subscription_id;
    this.busy.claimStarted(key);
    const actor = createActor(claimActor, { input: { agents: this.env.agents, runnerId: this.placement.runnerId, subscriptionId: key } });
    const settled = toPromise(actor)
      .then(
        (answer) => this.claimAnswered(read, answer as ClaimAnswer | undefined),
        (error: unknown) => this.claimFailed(read, error),
      )
      .finally(() => {
        this.busy.claimEnded(key);
        this.claims.delete(actor);
      });
    this.claims.set(actor, settled);
    actor.start();
  }

  /** `answer` is undefined when a stop aborted the claim actor before the server answered. */
  private claimAnswered(read: WakeRead, answer: ClaimAnswer | undefined): void {
    const about = { offset: read.offset, subscription: read.event.subscription_id, generation: read.event.generation };
    if (answer === undefined) {
      this.env.annotate('claim-discarded', { ...about, answered: false, granted: false });
      return;
    }
    read.settle();
    if (!this.acceptingClaims) {
      // B4(c): answered while the runner stops. Not dispatched; a granted lease expires and the work is woken again.
      this.env.annotate('claim-discarded', { ...about, answered: true, granted: answer.kind === 'granted' });
      return;
    }
    this.env.annotate('claim-settled', { ...about, outcome: answer.kind === 'granted' ? 'dispatched' : answer.kind });
    if (answer.kind === 'granted') this.dispatch(answer.wake);
    this.heartbeats.offsetMayHaveChanged();
  }

  /** Neither dispatched nor skipped: the event stays unsettled, so a durable mark never passes it. */
  private claimFailed(read: WakeRead, error: unknown): void {
    const about = { offset: read.offset, subscription: read.event.subscription_id, generation: read.event.generation, error: errorLine(error) };
    this.env.annotate(this.acceptingClaims ? 'claim-failed' : 'claim-discarded', about);
  }

  private dispatch(wake: WakeNotification): void {
    const key = wake.subscription_id;
    this.busy.wakeStarted(key);
    const run: Promise<WakeEnd> = processWake(this.wakeEnv, wake)
      .catch((error: unknown) => {
        this.env.annotate('wake-crashed', { entity: wake.entity.id, wakeId: wake.wake_id, error: errorLine(error) });
        return 'failed' as const;
      })
      .finally(() => {
        this.busy.wakeEnded(key);
        this.wakes.delete(run);
      });
    this.wakes.add(run);
  }

  /** Entered `stopping`: nothing may be dispatched from now on, and deferred events will not be claimed here. */
  private closeClaimGate(): void {
    this.acceptingClaims = false;
    const dropped = this.guard.close();
    if (dropped.length > 0) this.env.annotate('deferred-dropped', { count: dropped.length });
  }

  private async drain(): Promise<void> {
    // The gate is closed: whatever the claims answer is not dispatched, but the answers settle the low-water mark.
    await settleWithin([...this.claims.values()], V06_TIMING.stopClaimWaitMs);
    for (const actor of this.claims.keys()) actor.stop();
    this.stopWaits.abort();
    await settleWithin([...this.wakes], V06_TIMING.stopWakeDrainMs);
    await this.heartbeats.final();
  }

  private reportedOffset(): string {
    return this.env.settings.offset === 'durable' ? this.settledMark.offset : this.readOffset;
  }

  private noteState(state: LifecycleStateName): void {
    if (state === this.reportedState) return;
    this.reportedState = state;
    this.env.annotate('runner-state', { state, offset: this.readOffset });
  }
}
