import type { StreamItem } from '../../world/durable-streams/DurableStreamsService.ts';
import type { Claim } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import type { RuntimeConfig } from '../config.ts';
import { describeError } from '../errors.ts';
import type { RuntimeEnvironment } from '../ports.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import type { EntityHandler } from '../wake/HandlerContext.ts';
import { processWake, type WakeOutcome } from '../wake/processWake.ts';
import { SettledOffsetTracker } from './SettledOffsetTracker.ts';

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

/** Thrown into the stream loop to make it reconnect (heartbeat failures) or leave (stop). */
class StreamInterrupt extends Error {}

/**
 * The pull-wake consumer: reads its wake stream, advances the in-memory offset per item, spawns a claim per wake
 * event and dispatches claimed wakes to {@link processWake} without awaiting them. Heartbeats report an offset:
 * the raw read offset, or with `offset=durable` the settled low-water mark.
 */
export class PullWakeRunner {
  private state: RunnerState = 'stopped';
  private currentOffset: string;
  private readonly settledOffsets: SettledOffsetTracker;
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
        let connected = false;
        for (;;) {
          const read = connected
            ? this.env.streams.readLive(this.options.wakeStream, this.currentOffset)
            : this.env.streams.read(this.options.wakeStream, this.currentOffset);
          const result = await Promise.race([read, interrupted]);
          if (!connected) {
            connected = true;
            backoffMs = RUNTIME_TIMING.reconnectInitialBackoffMs;
            this.setState('streaming');
          }
          for (const item of result.items) this.onItem(item);
          if (result.items.length === 0) {
            this.currentOffset = result.nextOffset;
            this.settledOffsets.resolveTailStart(result.nextOffset);
          }
        }
      } catch (error) {
        if (this.stopRequested) return;
        this.env.emit('stream-error', { error: describeError(error) });
        this.setState('reconnecting');
        await this.env.sleep(backoffMs, 'reconnect backoff');
        backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.reconnectMaxBackoffMs);
      }
    }
  }

  private onItem(item: StreamItem): void {
    this.currentOffset = item.offset;
    const event = item.value as { type?: unknown; subscription_id?: unknown; generation?: unknown };
    const isWake = event.type === 'wake' && typeof event.subscription_id === 'string';
    this.settledOffsets.read(item.offset, isWake);
    if (isWake) {
      this.env.emit('wake-read', { offset: item.offset, subscription: String(event.subscription_id), generation: Number(event.generation) });
      this.spawnClaim(item.offset, String(event.subscription_id));
    }
    this.offsetChanged();
  }

  private spawnClaim(offset: string, subscriptionId: string): void {
    const attempt: ClaimAttempt = { aborted: false };
    this.claimAttempts.add(attempt);
    const tracked: Tracked<void> = {
      promise: this.claim(offset, subscriptionId, attempt).finally(() => {
        this.claims.delete(tracked);
        this.claimAttempts.delete(attempt);
      }),
      work: { kind: 'claim', label: `claim ${subscriptionId} for wake at ${offset}`, sinceMs: this.env.nowMs() },
    };
    this.claims.add(tracked);
  }

  private async claim(offset: string, subscriptionId: string, attempt: ClaimAttempt): Promise<void> {
    let settledAs: string;
    try {
      const outcome = await this.env.agents.claim(subscriptionId);
      if (attempt.aborted) {
        this.env.emit('claim-aborted', { offset, subscription: subscriptionId, granted: outcome.kind === 'wake' });
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
        this.env.emit('claim-aborted', { offset, subscription: subscriptionId, granted: false });
        return;
      }
      // Neither dispatched nor skipped: the wake is dropped (0.4.x does not retry a failed claim), and it stays
      // unsettled, so a durable resume offset never moves past it.
      this.env.emit('claim-failed', { offset, subscription: subscriptionId, error: describeError(error) });
      return;
    }
    this.settledOffsets.settle(offset);
    this.env.emit('claim-settled', { offset, subscription: subscriptionId, outcome: settledAs });
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
