import type { WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { WakeInput } from '../../../protocol/entity/EntityHandler.ts';
import { asWakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import type { ClaimOutcome } from '../clients/AgentsApi.ts';
import { describeError } from '../errors.ts';
import { sleep } from '../time.ts';
import { isTransient } from '../transientFailure.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import type { V04Environment } from '../V04Environment.ts';
import { processWake, type WakeOutcome, type WakeRows } from '../wake/processWake.ts';
import { createWakeStreamReader } from './createWakeStreamReader.ts';
import { SettledOffsetTracker, type ReadBatch } from './SettledOffsetTracker.ts';
import type { WakeStreamBatch, WakeStreamReader } from './WakeStreamReader.ts';

/** Lifecycle states, as upstream's runner machine names them. */
export type RunnerState = 'stopped' | 'connecting' | 'streaming' | 'reconnecting' | 'stopping';

/** What a runner needs to know at construction. */
export interface PullWakeRunnerOptions {
  readonly runnerId: string;
  /** The wake stream's name under the Durable Streams root. */
  readonly wakeStream: string;
  /** Where reading starts: `-1`, `now`, or a resume offset from registration. */
  readonly startOffset: string;
}

interface ClaimAttempt {
  aborted: boolean;
}

/**
 * What a claim is for: a wake event as the runner read it (which wake it is, and the offset the reader gave for it),
 * or, under `next-wake=claim`, a done answered `next_wake: true` (no event: offset and generation are null, `afterGeneration`
 * is the generation whose done said so).
 */
type WakeRead = WakeEventRead | { readonly cause: 'next-wake'; readonly offset: null; readonly subscription: string; readonly generation: null; readonly afterGeneration: number };
/** A wake event read from the wake stream, at its offset there. */
type WakeEventRead = { readonly cause: 'wake-event'; readonly offset: string; readonly subscription: string; readonly generation: number };

/** Thrown into the stream loop to make it reconnect (heartbeat failures) or leave (stop). */
class StreamInterrupt extends Error {
  override name = 'StreamInterrupt';
}

/**
 * The pull-wake consumer: reads its wake stream (through the tier's {@link WakeStreamReader}), advances the in-memory
 * offset per item, spawns a claim per wake event and dispatches claimed wakes to {@link processWake} without awaiting
 * them (`claim-concurrency=serial`, historical B4(b), claims and drains them one at a time instead). Heartbeats report
 * an offset: the raw read offset, or with `offset=durable` the settled low-water mark.
 */
export class PullWakeRunner {
  private state: RunnerState = 'stopped';
  private currentOffset: string;
  private readonly settledOffsets: SettledOffsetTracker;
  private readonly reader: WakeStreamReader;
  private readonly claims = new Set<Promise<void>>();
  private readonly claimAttempts = new Set<ClaimAttempt>();
  private readonly wakes = new Set<Promise<WakeOutcome>>();
  /**
   * Wake rows with a payload read and not yet given to a wake, per subscription, in read order (`deferred`: read while
   * a wake of the subscription ran here, under `claim-guard=defer`). The next wake of the subscription this process
   * dispatches is given them all; `claim-deferral=one-slot` (O1) keeps one deferred row per subscription.
   */
  private readonly wakeRows = new Map<string, Array<{ readonly offset: string; readonly payload: unknown; readonly deferred: boolean }>>();
  /** The wake running in this process per subscription (one entity each), for `claim-guard=defer`. */
  private readonly runningBySubscription = new Map<string, { readonly wakeId: string; readonly wake: Promise<WakeOutcome> }>();
  private stopRequested = false;
  private wakesAborted = false;
  private connection: AbortController | undefined;
  private consecutiveHeartbeatFailures = 0;
  private lastHeartbeatAtMs = Number.NEGATIVE_INFINITY;
  private lastReportedOffset: string | undefined;
  private heartbeatScheduled = false;
  /** The heartbeats queued so far: each one waits for the one before it and for the minimum gap after it. */
  private heartbeats: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: V04Environment,
    private readonly options: PullWakeRunnerOptions,
  ) {
    this.currentOffset = options.startOffset;
    this.settledOffsets = new SettledOffsetTracker(options.startOffset);
    this.reader = createWakeStreamReader(env);
  }

  get lifecycleState(): RunnerState {
    return this.state;
  }

  start(): void {
    if (this.state !== 'stopped') return;
    void this.streamLoop();
    void this.heartbeatLoop();
  }

  /** Graceful stop: abort claims (waiting up to 1 s), abort and drain wakes, report the final offset. */
  async stop(): Promise<void> {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.setState('stopping');
    this.connection?.abort(new StreamInterrupt('stop'));
    for (const attempt of this.claimAttempts) attempt.aborted = true;
    await this.waitFor([...this.claims], RUNTIME_TIMING.stopClaimWaitMs);
    this.wakesAborted = true;
    await this.waitFor([...this.wakes], RUNTIME_TIMING.stopDrainMs);
    await this.sendHeartbeat('stop');
    this.setState('stopped');
  }

  private async streamLoop(): Promise<void> {
    let backoffMs: number = RUNTIME_TIMING.reconnectInitialBackoffMs;
    while (!this.stopRequested) {
      this.setState('connecting');
      const connection = new AbortController();
      this.connection = connection;
      const watchdog = this.watchReads(connection);
      // B4(b): the batch being handled, which the next connection waits for (the library reader may fail while it runs).
      let batchInFlight: Promise<void> | undefined;
      try {
        await this.reader.follow(this.options.wakeStream, this.currentOffset, connection.signal, {
          connected: () => {
            watchdog.answered();
            backoffMs = RUNTIME_TIMING.reconnectInitialBackoffMs;
            this.setState('streaming');
          },
          batch: (batch) => {
            watchdog.answered();
            const handled = this.onBatch(batch);
            if (handled === undefined) return undefined;
            // B4(b): the read loop waits while the batch's claims and wakes run; no read of the wake stream is out.
            watchdog.pause();
            batchInFlight = handled.finally(() => {
              if (!connection.signal.aborted) watchdog.answered();
            });
            return batchInFlight;
          },
        });
      } catch (error) {
        if (this.stopRequested) return;
        this.env.annotate('stream-error', { error: describeError(error) });
        // B4(a): the read loop ends with its first failed read; the runner is left in the state it was in.
        if (this.env.config.streamReconnect === 'give-up') {
          this.env.annotate('stream-given-up', { error: describeError(error) });
          return;
        }
        this.setState('reconnecting');
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.reconnectMaxBackoffMs);
      } finally {
        watchdog.stop();
      }
      // Serial claims stay serial across a reconnect: the next read loop starts once the last batch was handled.
      if (batchInFlight !== undefined) await batchInFlight.catch(() => {});
    }
  }

  /**
   * `read-watchdog=reset`: aborts the connection when no read answered for {@link RUNTIME_TIMING.readWatchdogMs}, so a
   * connect or a long-poll that hangs ends in a reconnect instead of a runner deaf to its wakes. A no-op otherwise.
   */
  private watchReads(connection: AbortController): { answered(): void; pause(): void; stop(): void } {
    if (this.env.config.readWatchdog === 'none') return { answered: () => {}, pause: () => {}, stop: () => {} };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => connection.abort(new StreamInterrupt('no answer from the wake stream')), RUNTIME_TIMING.readWatchdogMs);
    };
    const disarm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    arm();
    // `pause`: no read is out while `claim-concurrency=serial` handles a batch, so there is nothing to give up.
    return { answered: arm, pause: disarm, stop: disarm };
  }

  /**
   * Each item advances the in-memory offset at once and each wake spawns a claim. The settled low-water mark moves
   * past the batch only when all its claims settled: a batch's end is the only place a reader can resume. Under
   * `claim-concurrency=serial` (B4(b)) the items are handled one after another instead, and the returned promise, which
   * the reader awaits before it reads again, settles once the last is.
   */
  private onBatch(batch: WakeStreamBatch): Promise<void> | undefined {
    if (batch.items.length === 0) {
      this.currentOffset = batch.endOffset;
      this.settledOffsets.resolveTailStart(batch.endOffset);
      return undefined;
    }
    const wakes = batch.items.map((item) => {
      const event = asWakeEvent(item.value);
      if (event) this.keepWakeRow(item.offset, event.subscription_id, (item.value as { payload?: unknown }).payload);
      return event && ({ cause: 'wake-event', offset: item.offset, subscription: event.subscription_id, generation: event.generation } as const);
    });
    const readBatch = this.settledOffsets.readBatch(batch.endOffset, wakes.filter((wake) => wake !== undefined).length);
    if (this.env.config.claimConcurrency === 'serial') return this.claimSerially(batch, wakes, readBatch);
    batch.items.forEach((item, index) => {
      this.currentOffset = item.offset;
      const wake = wakes[index];
      if (wake) void this.claimWakeEvent(readBatch, wake);
      this.offsetChanged();
    });
    return undefined;
  }

  /**
   * B4(b)'s defect (`claim-concurrency=serial`), the first runner's loop: each wake event of the batch is claimed in
   * turn, and before the next one the runner awaits the drain of its running wakes (`await drainWakes()`), the one just
   * dispatched among them. The reader awaits this too, so no read of the wake stream goes out meanwhile: one long wake
   * holds back every other entity's claim. A stop ends the loop, as it ended the first runner's read loop; the events
   * left in the batch are not claimed (they stay unsettled, so a durable resume offset does not pass them).
   */
  private async claimSerially(batch: WakeStreamBatch, wakes: ReadonlyArray<WakeEventRead | undefined>, readBatch: ReadBatch): Promise<void> {
    for (const [index, item] of batch.items.entries()) {
      if (this.stopRequested) return;
      this.currentOffset = item.offset;
      const wake = wakes[index];
      if (wake) {
        const claim = this.claimWakeEvent(readBatch, wake);
        this.offsetChanged();
        await claim;
        await this.drainWakes();
      } else {
        this.offsetChanged();
      }
    }
  }

  /** A wake event read: noted, and its claim spawned (the claim settles the read batch's share). */
  private claimWakeEvent(readBatch: ReadBatch, wake: WakeEventRead): Promise<void> {
    this.env.annotate('wake-read', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation });
    return this.spawnClaim(readBatch, wake);
  }

  /**
   * Resolves once no wake runs in this process, waiting again for any wake that started meanwhile (a `next-wake=claim`
   * claim's, say); a claim still unanswered when the last wake ended is not waited for.
   */
  private async drainWakes(): Promise<void> {
    while (this.wakes.size > 0) await Promise.allSettled([...this.wakes]);
  }

  /**
   * Keeps the payload of a wake row (none for a plain wake event) for the next wake of its subscription. A row read
   * while a wake of the subscription runs here is deferred under `claim-guard=defer`; `claim-deferral=one-slot` (O1, the
   * store as shipped upstream) keeps only the newest deferred row, overwriting the one before, whose payload is lost.
   */
  private keepWakeRow(offset: string, subscription: string, payload: unknown): void {
    if (payload === undefined) return;
    const deferred = this.env.config.claimGuard === 'defer' && this.runningBySubscription.has(subscription);
    const kept = this.wakeRows.get(subscription) ?? [];
    if (deferred && this.env.config.claimDeferral === 'one-slot') {
      for (const displaced of kept.filter((row) => row.deferred)) this.env.annotate('wake-row-displaced', { subscription, offset: displaced.offset, by: offset });
      kept.splice(0, kept.length, ...kept.filter((row) => !row.deferred));
    }
    kept.push({ offset, payload, deferred });
    this.wakeRows.set(subscription, kept);
  }

  /** `batch` is the read batch the wake event came in, whose end the claim's settling lets a resume move past. */
  private spawnClaim(batch: ReadBatch | undefined, wake: WakeRead): Promise<void> {
    const attempt: ClaimAttempt = { aborted: false };
    this.claimAttempts.add(attempt);
    const claim: Promise<void> = this.claim(batch, wake, attempt).finally(() => {
      this.claims.delete(claim);
      this.claimAttempts.delete(attempt);
    });
    this.claims.add(claim);
    return claim;
  }

  private async claim(batch: ReadBatch | undefined, wake: WakeRead, attempt: ClaimAttempt): Promise<void> {
    const { offset, subscription, generation } = wake;
    let settledAs: string;
    try {
      // Only `defer` awaits here: with `none` the claim goes out in the same turn as before the guard existed.
      if (this.env.config.claimGuard === 'defer' && !(await this.waitForRunningWake(wake, attempt))) return;
      const outcome = await this.claimOnce(wake, attempt);
      if (outcome === undefined) return;
      // The `acceptingClaims` gate: a claim answered once a stop began is not dispatched. B4(c)'s defect
      // (`stop-gate=none`) dispatches a granted one all the same.
      if (attempt.aborted && (this.env.config.stopGate === 'accepting-claims' || outcome.kind !== 'wake')) {
        this.env.annotate('claim-aborted', { offset, subscription, generation, granted: outcome.kind === 'wake' });
        return;
      }
      if (attempt.aborted) this.env.annotate('claim-dispatched-during-stop', { offset, subscription, generation, wakesAborted: this.wakesAborted });
      if (outcome.kind === 'wake') {
        this.dispatch(outcome.notification, outcome.sentAtMs);
        settledAs = 'dispatched';
      } else {
        settledAs = outcome.reason;
      }
    } catch (error) {
      if (attempt.aborted) {
        this.env.annotate('claim-aborted', { offset, subscription, generation, granted: false });
        return;
      }
      // Neither dispatched nor skipped: the wake is dropped (0.4.x does not retry a failed claim), and it stays
      // unsettled, so a durable resume offset never moves past it.
      this.env.annotate('claim-failed', { offset, subscription, generation, error: describeError(error) });
      return;
    }
    if (wake.cause === 'next-wake') {
      // No wake event, so no read offset to settle: the runtime models follow claims of wake events only.
      this.env.annotate('next-wake-settled', { subscription, afterGeneration: wake.afterGeneration, outcome: settledAs });
      return;
    }
    this.settledOffsets.settle(batch!);
    this.env.annotate('claim-settled', { offset, subscription, generation, outcome: settledAs });
    this.offsetChanged();
  }

  /**
   * `next-wake=claim` (O2's fix as modelled): a done answered `next_wake: true`, so the server issued the entity's
   * next wake at once; claim it on the path a wake event's claim takes (`claim-guard` defers it behind the wake still
   * finishing, `claim-retry` retries it). Nothing after a stop began: the claim would go out after SIGTERM. If the
   * wake's event comes too (`pending-wake=event`), the second claim finds the wake held or nothing pending.
   */
  private claimNextWake(subscription: string, afterGeneration: number): void {
    if (this.stopRequested) {
      this.env.annotate('next-wake-dropped', { subscription, afterGeneration, reason: 'stopping' });
      return;
    }
    this.env.annotate('next-wake', { subscription, afterGeneration });
    this.spawnClaim(undefined, { cause: 'next-wake', offset: null, subscription, generation: null, afterGeneration });
  }

  /**
   * `claim-guard=defer`: holds the claim of a wake event while a wake of the same subscription runs in this process.
   * The service grants one lease per subscription, so such an event is either stale or a re-issue after the service
   * lost the running wake's lease (a restart); claiming it at once would start a second wake of the entity beside the
   * first. False when a stop began meanwhile: the claim never goes out.
   */
  private async waitForRunningWake(wake: WakeRead, attempt: ClaimAttempt): Promise<boolean> {
    for (let running = this.runningBySubscription.get(wake.subscription); running; running = this.runningBySubscription.get(wake.subscription)) {
      this.env.annotate('claim-deferred', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation, behind: running.wakeId });
      // The wake's own promise settles after its bookkeeping (below) removed it from the map.
      await running.wake.catch(() => undefined);
    }
    if (!attempt.aborted) return true;
    this.env.annotate('claim-aborted', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation, granted: false });
    return false;
  }

  /**
   * One claim, retried under `claim-retry=backoff` while it fails transiently (a 5xx or a dropped connection) and the
   * runner is not stopping; undefined when a stop ended the retries. With `none` the first failure is final (0.4.x).
   */
  private async claimOnce(wake: WakeRead, attempt: ClaimAttempt): Promise<ClaimOutcome | undefined> {
    let backoffMs: number = RUNTIME_TIMING.claimRetryInitialBackoffMs;
    for (;;) {
      try {
        return await this.env.agents.claim(this.options.runnerId, wake.subscription);
      } catch (error) {
        if (this.env.config.claimRetry === 'none' || attempt.aborted || !isTransient(error)) throw error;
        this.env.annotate('claim-retry', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation, backoffMs, error: describeError(error) });
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.claimRetryMaxBackoffMs);
        // A stop that began meanwhile ends the retries: no claim goes out after SIGTERM.
        if (attempt.aborted) {
          this.env.annotate('claim-aborted', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation, granted: false });
          return undefined;
        }
      }
    }
  }

  /** `claimSentAtMs`: when the granted claim went out (its lease began no earlier). */
  private dispatch(notification: WakeNotification, claimSentAtMs: number): void {
    const handler = this.env.host.handlers.get(notification.entity.type);
    if (!handler) {
      this.env.annotate('no-handler', { entity: notification.entity.id, type: notification.entity.type });
      return;
    }
    const subscription = notification.subscription_id;
    const onNextWake = this.env.config.nextWake === 'claim' ? () => this.claimNextWake(subscription, notification.generation) : undefined;
    // The payloads of the wake rows kept for this subscription go with this wake (a wake_batch), before its stream inputs.
    const rows = this.wakeRows.get(subscription) ?? [];
    this.wakeRows.delete(subscription);
    if (rows.length > 0) this.env.annotate('wake-rows-given', { wakeId: notification.wake_id, subscription, offsets: rows.map((row) => row.offset) });
    const wakeRows: WakeRows = {
      inputs: rows.map((row) => ({ stream: this.options.wakeStream, offset: row.offset, value: row.payload as WakeInput['value'] })),
      // Not acknowledged: they go to the entity's next wake, before any row read since.
      notAcked: () => {
        this.env.annotate('wake-rows-kept', { wakeId: notification.wake_id, subscription, offsets: rows.map((row) => row.offset) });
        this.wakeRows.set(subscription, [...rows.map((row) => ({ ...row, deferred: false })), ...(this.wakeRows.get(subscription) ?? [])]);
      },
    };
    // B4(c)'s defect (`stop-gate=none`): the stop aborted the wakes running when it did; a wake dispatched after that
    // was not among them, and nothing aborts it. (With the gate no wake is dispatched once a stop began.)
    const stopping = this.wakesAborted && this.env.config.stopGate === 'none' ? () => false : () => this.wakesAborted;
    const wake: Promise<WakeOutcome> = processWake(this.env, notification, handler, stopping, onNextWake, wakeRows, claimSentAtMs).finally(() => {
      this.wakes.delete(wake);
      if (this.runningBySubscription.get(subscription)?.wake === wake) this.runningBySubscription.delete(subscription);
    });
    this.wakes.add(wake);
    this.runningBySubscription.set(subscription, { wakeId: notification.wake_id, wake });
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopRequested) {
      await sleep(RUNTIME_TIMING.heartbeatIntervalMs);
      if (this.stopRequested) return;
      await this.sendHeartbeat('interval');
    }
  }

  /** Heartbeat on offset change; changes while one is waiting to go out ride on it. */
  private offsetChanged(): void {
    if (this.heartbeatScheduled || this.stopRequested || this.reportedOffset() === this.lastReportedOffset) return;
    this.heartbeatScheduled = true;
    void this.sendHeartbeat('offset-change');
  }

  private reportedOffset(): string {
    return this.env.config.offset === 'durable' ? this.settledOffsets.lowWater : this.currentOffset;
  }

  /**
   * Sends a heartbeat once every heartbeat queued before it went out and `heartbeatMinGapMs` passed since the last
   * one: at most one per 2 s whatever the reason (interval, offset change, stop), as semantics.md §1 requires. After
   * a stop began only the stop's own heartbeat goes out.
   */
  private sendHeartbeat(reason: 'interval' | 'offset-change' | 'stop'): Promise<void> {
    const sent = this.heartbeats.then(() => this.heartbeatAfterGap(reason));
    this.heartbeats = sent;
    return sent;
  }

  private async heartbeatAfterGap(reason: 'interval' | 'offset-change' | 'stop'): Promise<void> {
    const waitMs = this.lastHeartbeatAtMs + RUNTIME_TIMING.heartbeatMinGapMs - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    // From here on, a later offset change needs a heartbeat of its own: this one carries what is known now.
    if (reason === 'offset-change') this.heartbeatScheduled = false;
    if (this.stopRequested && reason !== 'stop') return;
    const offset = this.reportedOffset();
    this.lastHeartbeatAtMs = Date.now();
    this.lastReportedOffset = offset;
    try {
      await this.env.agents.heartbeat(this.options.runnerId, offset);
      this.consecutiveHeartbeatFailures = 0;
      this.env.annotate('heartbeat', { offset, reason, ok: true });
    } catch (error) {
      this.consecutiveHeartbeatFailures += 1;
      this.env.annotate('heartbeat', { offset, reason, ok: false, error: describeError(error) });
      if (this.consecutiveHeartbeatFailures >= RUNTIME_TIMING.heartbeatFailuresBeforeReset && !this.stopRequested) {
        this.consecutiveHeartbeatFailures = 0;
        this.resetStream();
      }
    }
  }

  /**
   * The reset after consecutive heartbeat failures: aborts the wake stream's connection, whether a connect or a read
   * is under way (the connection exists from the moment a connect starts), and the stream loop reconnects. With
   * `stream-reset=connected-only` (B5) it is ignored unless a read answered since the last (re)connect: a connect
   * that hangs is then never aborted.
   */
  private resetStream(): void {
    if (this.env.config.streamReset === 'connected-only' && this.state !== 'streaming') {
      this.env.annotate('stream-reset-ignored', { reason: 'heartbeat failures', state: this.state });
      return;
    }
    this.env.annotate('stream-reset', { reason: 'heartbeat failures' });
    this.connection?.abort(new StreamInterrupt('heartbeat failures'));
  }

  private async waitFor(promises: Promise<unknown>[], timeoutMs: number): Promise<void> {
    if (promises.length === 0) return;
    await Promise.race([Promise.allSettled(promises), sleep(timeoutMs)]);
  }

  private setState(state: RunnerState): void {
    if (this.state === state) return;
    this.state = state;
    this.env.annotate('runner-state', { state, offset: this.currentOffset });
  }
}
