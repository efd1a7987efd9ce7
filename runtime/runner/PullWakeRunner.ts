import type { Claim } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import type { RuntimeConfig } from '../config.ts';
import { describeError } from '../errors.ts';
import type { RuntimeEnvironment } from '../ports.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import type { EntityHandler } from '../wake/HandlerContext.ts';
import { processWake, type WakeOutcome } from '../wake/processWake.ts';
import { createWakeStreamReader } from './createWakeStreamReader.ts';
import { SettledOffsetTracker, type ReadBatch } from './SettledOffsetTracker.ts';
import type { WakeStreamBatch, WakeStreamReader } from './WakeStreamReader.ts';

/** Lifecycle states, as upstream's runner machine names them. */
export type RunnerState = 'stopped' | 'connecting' | 'streaming' | 'reconnecting' | 'stopping';

/** What a runner needs to know at construction. */
export interface PullWakeRunnerOptions {
  readonly runnerId: string;
  readonly wakeStream: string;
  /** Where reading starts: `-1`, `now`, or a resume offset from registration. */
  readonly startOffset: string;
  readonly handlers: ReadonlyMap<string, EntityHandler>;
}

/** Work a runner has in flight, for hang reports. */
export interface InFlightWork {
  readonly kind: 'claim' | 'wake';
  readonly label: string;
  readonly sinceMs: number;
}

interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly work: InFlightWork;
}

interface ClaimAttempt {
  aborted: boolean;
}

/** A wake event as the runner read it: which wake it is, and the offset the reader gave for it. */
interface WakeRead {
  readonly offset: string;
  readonly subscription: string;
  readonly generation: number;
}

/** Thrown into the stream loop to make it reconnect (heartbeat failures) or leave (stop). */
class StreamInterrupt extends Error {}

/**
 * The pull-wake consumer: reads its wake stream (through the tier's {@link WakeStreamReader}), advances the in-memory
 * offset per item, spawns a claim per wake event and dispatches claimed wakes to {@link processWake} without awaiting
 * them. Heartbeats report an offset: the raw read offset, or with `offset=durable` the settled low-water mark.
 */
export class PullWakeRunner {
  private state: RunnerState = 'stopped';
  private currentOffset: string;
  private readonly settledOffsets: SettledOffsetTracker;
  private readonly reader: WakeStreamReader;
  private readonly claims = new Set<Tracked<void>>();
  private readonly claimAttempts = new Set<ClaimAttempt>();
  private readonly wakes = new Set<Tracked<WakeOutcome>>();
  private stopRequested = false;
  private wakesAborted = false;
  private interrupt: (() => void) | undefined;
  private consecutiveHeartbeatFailures = 0;
  private lastHeartbeatAtMs = Number.NEGATIVE_INFINITY;
  private lastReportedOffset: string | undefined;
  private heartbeatScheduled = false;

  constructor(
    private readonly env: RuntimeEnvironment,
    private readonly config: RuntimeConfig,
    private readonly options: PullWakeRunnerOptions,
  ) {
    this.currentOffset = options.startOffset;
    this.settledOffsets = new SettledOffsetTracker(options.startOffset);
    this.reader = createWakeStreamReader(env, config);
  }

  get lifecycleState(): RunnerState {
    return this.state;
  }

  /** Claims and wakes still running. */
  inFlight(): InFlightWork[] {
    return [...this.claims, ...this.wakes].map((tracked) => tracked.work);
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
    this.interrupt?.();
    for (const attempt of this.claimAttempts) attempt.aborted = true;
    await this.waitFor([...this.claims].map((claim) => claim.promise), RUNTIME_TIMING.stopClaimWaitMs, 'stop: claims');
    this.wakesAborted = true;
    await this.waitFor([...this.wakes].map((wake) => wake.promise), RUNTIME_TIMING.stopDrainMs, 'stop: drain wakes');
    await this.sendHeartbeat('stop');
    this.setState('stopped');
  }

  private async streamLoop(): Promise<void> {
    let backoffMs: number = RUNTIME_TIMING.reconnectInitialBackoffMs;
    while (!this.stopRequested) {
      this.setState('connecting');
      const interrupted = new Promise<never>((_, reject) => {
        this.interrupt = () => reject(new StreamInterrupt('stream interrupted'));
      });
      interrupted.catch(() => {});
      try {
        await this.reader.follow(this.options.wakeStream, this.currentOffset, interrupted, {
          connected: () => {
            backoffMs = RUNTIME_TIMING.reconnectInitialBackoffMs;
            this.setState('streaming');
          },
          batch: (batch) => this.onBatch(batch),
        });
      } catch (error) {
        if (this.stopRequested) return;
        this.env.emit('stream-error', { error: describeError(error) });
        this.setState('reconnecting');
        await this.env.sleep(backoffMs, 'reconnect backoff');
        backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.reconnectMaxBackoffMs);
      }
    }
  }

  /**
   * Each item advances the in-memory offset at once and each wake spawns a claim. The settled low-water mark moves
   * past the batch only when all its claims settled: a batch's end is the only place a reader can resume.
   */
  private onBatch(batch: WakeStreamBatch): void {
    if (batch.items.length === 0) {
      this.currentOffset = batch.endOffset;
      this.settledOffsets.resolveTailStart(batch.endOffset);
      return;
    }
    const wakes = batch.items.map((item) => asWakeRead(item.value, item.offset));
    const readBatch = this.settledOffsets.readBatch(batch.endOffset, wakes.filter((wake) => wake !== undefined).length);
    batch.items.forEach((item, index) => {
      this.currentOffset = item.offset;
      const wake = wakes[index];
      if (wake) {
        this.env.emit('wake-read', { offset: wake.offset, subscription: wake.subscription, generation: wake.generation });
        this.spawnClaim(readBatch, wake);
      }
      this.offsetChanged();
    });
  }

  private spawnClaim(batch: ReadBatch, wake: WakeRead): void {
    const attempt: ClaimAttempt = { aborted: false };
    this.claimAttempts.add(attempt);
    const tracked: Tracked<void> = {
      promise: this.claim(batch, wake, attempt).finally(() => {
        this.claims.delete(tracked);
        this.claimAttempts.delete(attempt);
      }),
      work: { kind: 'claim', label: `claim ${wake.subscription} for wake gen ${wake.generation} read at ${wake.offset}`, sinceMs: this.env.nowMs() },
    };
    this.claims.add(tracked);
  }

  private async claim(batch: ReadBatch, wake: WakeRead, attempt: ClaimAttempt): Promise<void> {
    const { offset, subscription, generation } = wake;
    let settledAs: string;
    try {
      const outcome = await this.env.agents.claim(subscription);
      if (attempt.aborted) {
        this.env.emit('claim-aborted', { offset, subscription, generation, granted: outcome.kind === 'wake' });
        return;
      }
      if (outcome.kind === 'wake') {
        this.dispatch(outcome.entity, outcome.claim);
        settledAs = 'dispatched';
      } else {
        settledAs = outcome.reason;
      }
    } catch (error) {
      if (attempt.aborted) {
        this.env.emit('claim-aborted', { offset, subscription, generation, granted: false });
        return;
      }
      // Neither dispatched nor skipped: the wake is dropped (0.4.x does not retry a failed claim), and it stays
      // unsettled, so a durable resume offset never moves past it.
      this.env.emit('claim-failed', { offset, subscription, generation, error: describeError(error) });
      return;
    }
    this.settledOffsets.settle(batch);
    this.env.emit('claim-settled', { offset, subscription, generation, outcome: settledAs });
    this.offsetChanged();
  }

  private dispatch(entity: string, claim: Claim): void {
    const handler = this.options.handlers.get(entity);
    if (!handler) {
      this.env.emit('no-handler', { entity });
      return;
    }
    const tracked: Tracked<WakeOutcome> = {
      promise: processWake(this.env, this.config, { entity, claim }, handler, () => this.wakesAborted).finally(() =>
        this.wakes.delete(tracked),
      ),
      work: { kind: 'wake', label: `processWake ${claim.wake_id} (${entity})`, sinceMs: this.env.nowMs() },
    };
    this.wakes.add(tracked);
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopRequested) {
      await this.env.sleep(RUNTIME_TIMING.heartbeatIntervalMs, 'heartbeat interval');
      if (this.stopRequested) return;
      await this.sendHeartbeat('interval');
    }
  }

  /** Heartbeat on offset change, at most one per `heartbeatMinGapMs`. */
  private offsetChanged(): void {
    if (this.heartbeatScheduled || this.stopRequested || this.reportedOffset() === this.lastReportedOffset) return;
    this.heartbeatScheduled = true;
    const waitMs = Math.max(0, this.lastHeartbeatAtMs + RUNTIME_TIMING.heartbeatMinGapMs - this.env.nowMs());
    void this.env.sleep(waitMs, 'heartbeat debounce').then(async () => {
      this.heartbeatScheduled = false;
      if (!this.stopRequested) await this.sendHeartbeat('offset-change');
    });
  }

  private reportedOffset(): string {
    return this.config.offset === 'durable' ? this.settledOffsets.lowWater : this.currentOffset;
  }

  private async sendHeartbeat(reason: string): Promise<void> {
    const offset = this.reportedOffset();
    this.lastHeartbeatAtMs = this.env.nowMs();
    this.lastReportedOffset = offset;
    try {
      await this.env.agents.heartbeat(this.options.runnerId, offset);
      this.consecutiveHeartbeatFailures = 0;
      this.env.emit('heartbeat', { offset, reason, ok: true });
    } catch (error) {
      this.consecutiveHeartbeatFailures += 1;
      this.env.emit('heartbeat', { offset, reason, ok: false, error: describeError(error) });
      if (this.consecutiveHeartbeatFailures >= RUNTIME_TIMING.heartbeatFailuresBeforeReset && !this.stopRequested) {
        this.consecutiveHeartbeatFailures = 0;
        this.env.emit('stream-reset', { reason: 'heartbeat failures' });
        this.interrupt?.();
      }
    }
  }

  private async waitFor(promises: Promise<unknown>[], timeoutMs: number, label: string): Promise<void> {
    if (promises.length === 0) return;
    await Promise.race([Promise.allSettled(promises), this.env.sleep(timeoutMs, label)]);
  }

  private setState(state: RunnerState): void {
    if (this.state === state) return;
    this.state = state;
    this.env.emit('runner-state', { state, offset: this.currentOffset });
  }
}

/** The wake event an item holds, or undefined for any other item (which needs no claim). */
function asWakeRead(value: unknown, offset: string): WakeRead | undefined {
  const event = value as { type?: unknown; subscription_id?: unknown; generation?: unknown } | null;
  if (event === null || typeof event !== 'object' || event.type !== 'wake' || typeof event.subscription_id !== 'string') return undefined;
  return { offset, subscription: event.subscription_id, generation: Number(event.generation) };
}
