import { V06_TIMING } from '../config/timing.ts';
import { errorLine } from '../http/ServiceError.ts';

/** Why a heartbeat went out. */
export type HeartbeatReason = 'interval' | 'offset-change' | 'stop';

/** What the pump needs from its runner. */
export interface HeartbeatPorts {
  /** The offset to report now: the read offset, or the settled low-water mark with `offset=durable`. */
  reportedOffset(): string;
  /** Sends one heartbeat; rejects when the server refused it or could not be reached. */
  send(offset: string): Promise<void>;
  /** Told once per streak of failed heartbeats reaching the threshold (two in a row): the runner resets its stream. */
  failureStreak(): void;
  annotate(kind: string, detail: { readonly [key: string]: string | number | boolean | null }): void;
}

/** Heartbeat timing; the defaults are the runner's. */
export interface HeartbeatTiming {
  readonly intervalMs: number;
  readonly minSpacingMs: number;
  readonly failuresBeforeReset: number;
}

const DEFAULT_TIMING: HeartbeatTiming = {
  intervalMs: V06_TIMING.heartbeatIntervalMs,
  minSpacingMs: V06_TIMING.heartbeatMinSpacingMs,
  failuresBeforeReset: V06_TIMING.heartbeatFailuresBeforeStreamReset,
};

/**
 * The runner's heartbeats: one every 30 s, and one when the reported offset changed, at most one per 2 s; one at a
 * time (a beat due while another is on the wire is folded into the check that follows it). Two failures in a row
 * reset the wake stream. A stop ends the timers and sends a final heartbeat.
 */
export class HeartbeatPump {
  private intervalTimer: ReturnType<typeof setTimeout> | undefined;
  private spacingTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSentAtMs = Number.NEGATIVE_INFINITY;
  private lastSentOffset: string | undefined;
  private failuresInARow = 0;
  private ended = false;

  constructor(
    private readonly ports: HeartbeatPorts,
    private readonly timing: HeartbeatTiming = DEFAULT_TIMING,
  ) {}

  start(): void {
    this.scheduleInterval();
  }

  /** The reported offset may have moved: schedule a heartbeat if it did, respecting the spacing. */
  offsetMayHaveChanged(): void {
    if (this.ended || this.spacingTimer !== undefined || this.inFlight !== undefined) return;
    if (this.ports.reportedOffset() === this.lastSentOffset) return;
    const waitMs = Math.max(0, this.lastSentAtMs + this.timing.minSpacingMs - Date.now());
    this.spacingTimer = setTimeout(() => {
      this.spacingTimer = undefined;
      void this.beat('offset-change');
    }, waitMs);
  }

  /** Stops the timers, waits for a heartbeat on the wire, and sends the final one. */
  async final(): Promise<void> {
    this.ended = true;
    if (this.intervalTimer !== undefined) clearTimeout(this.intervalTimer);
    if (this.spacingTimer !== undefined) clearTimeout(this.spacingTimer);
    this.intervalTimer = undefined;
    this.spacingTimer = undefined;
    await this.inFlight;
    await this.send('stop');
  }

  private scheduleInterval(): void {
    this.intervalTimer = setTimeout(() => {
      this.intervalTimer = undefined;
      if (this.ended) return;
      this.scheduleInterval();
      void this.beat('interval');
    }, this.timing.intervalMs);
  }

  private async beat(reason: HeartbeatReason): Promise<void> {
    if (this.ended || this.inFlight !== undefined) return;
    this.inFlight = this.send(reason);
    await this.inFlight;
    this.inFlight = undefined;
    // An offset change that happened while this one was on the wire gets its own heartbeat.
    this.offsetMayHaveChanged();
  }

  private async send(reason: HeartbeatReason): Promise<void> {
    const offset = this.ports.reportedOffset();
    this.lastSentAtMs = Date.now();
    this.lastSentOffset = offset;
    try {
      await this.ports.send(offset);
      this.failuresInARow = 0;
      this.ports.annotate('heartbeat', { offset, reason, ok: true });
    } catch (error) {
      this.failuresInARow += 1;
      this.ports.annotate('heartbeat', { offset, reason, ok: false, error: errorLine(error) });
      if (this.failuresInARow >= this.timing.failuresBeforeReset && !this.ended) {
        this.failuresInARow = 0;
        this.ports.failureStreak();
      }
    }
  }
}
