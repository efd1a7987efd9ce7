/**
 * The fake clock of the native baseline: what a fast-check user who cannot call `vi.useFakeTimers()` (it exists only
 * inside a vitest test, and `@sinonjs/fake-timers` is not installed here) writes instead. While installed it replaces
 * `setTimeout`, `clearTimeout`, `setInterval`, `clearInterval` and `Date.now` on `globalThis`; time moves only when
 * {@link advanceToNextTimer} is called, which fires every timer due at the earliest pending due time, in the order
 * they were set (as `jest.advanceTimersToNextTimer()` does). `setImmediate`, `queueMicrotask` and promises are left
 * alone: the v0.4 runtime reaches time only through the timers and `Date.now`.
 */
export class FakeClock {
  private nowMs: number;
  private nextId = 1;
  private readonly timers = new Map<number, { readonly dueAtMs: number; readonly order: number; readonly callback: () => void; readonly repeatMs: number | undefined }>();
  private order = 0;
  private saved: { setTimeout: unknown; clearTimeout: unknown; setInterval: unknown; clearInterval: unknown; dateNow: () => number } | undefined;

  constructor(
    /** Wall-clock milliseconds at the start of the run (what `Date.now()` answers before time moves). */
    readonly epochMs: number,
  ) {
    this.nowMs = epochMs;
  }

  /** Milliseconds since the run began. */
  get elapsedMs(): number {
    return this.nowMs - this.epochMs;
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Elapsed time at which the next timer fires, or undefined when none is pending. */
  nextDueElapsedMs(): number | undefined {
    let earliest: number | undefined;
    for (const timer of this.timers.values()) if (earliest === undefined || timer.dueAtMs < earliest) earliest = timer.dueAtMs;
    return earliest === undefined ? undefined : earliest - this.epochMs;
  }

  /** A timer of the test's own (cron ticks, redeploys), on the same clock as the runtime's. */
  setTimer(delayMs: number, callback: () => void): number {
    return this.add(delayMs, callback, undefined);
  }

  clearTimer(id: number): void {
    this.timers.delete(id);
  }

  /** Moves time to the earliest pending timer and fires every timer due then; false when none is pending. */
  advanceToNextTimer(): boolean {
    const next = this.nextDueElapsedMs();
    if (next === undefined) return false;
    this.nowMs = this.epochMs + next;
    const due = [...this.timers.entries()].filter(([, timer]) => timer.dueAtMs <= this.nowMs).sort(([, a], [, b]) => a.order - b.order);
    for (const [id, timer] of due) {
      if (!this.timers.has(id)) continue; // cleared by an earlier callback of this batch
      this.timers.delete(id);
      if (timer.repeatMs !== undefined) this.timers.set(id, { ...timer, dueAtMs: this.nowMs + timer.repeatMs, order: this.order++ });
      timer.callback();
    }
    return true;
  }

  install(): void {
    if (this.saved) return;
    const global = globalThis as unknown as Record<string, unknown>;
    this.saved = { setTimeout: global['setTimeout'], clearTimeout: global['clearTimeout'], setInterval: global['setInterval'], clearInterval: global['clearInterval'], dateNow: Date.now };
    const handle = (id: number): { ref(): unknown; unref(): unknown; hasRef(): boolean; [Symbol.toPrimitive](): number } => {
      const self = { ref: () => self, unref: () => self, hasRef: () => true, [Symbol.toPrimitive]: () => id };
      return self;
    };
    const idOf = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
    global['setTimeout'] = (callback: (...args: unknown[]) => void, delayMs?: number, ...args: unknown[]) => handle(this.add(delayMs ?? 0, () => callback(...args), undefined));
    global['setInterval'] = (callback: (...args: unknown[]) => void, delayMs?: number, ...args: unknown[]) =>
      handle(this.add(delayMs ?? 0, () => callback(...args), Math.max(1, delayMs ?? 0)));
    global['clearTimeout'] = (id: unknown) => void this.timers.delete(idOf(id));
    global['clearInterval'] = (id: unknown) => void this.timers.delete(idOf(id));
    Date.now = () => this.nowMs;
  }

  uninstall(): void {
    if (!this.saved) return;
    const global = globalThis as unknown as Record<string, unknown>;
    global['setTimeout'] = this.saved.setTimeout;
    global['clearTimeout'] = this.saved.clearTimeout;
    global['setInterval'] = this.saved.setInterval;
    global['clearInterval'] = this.saved.clearInterval;
    Date.now = this.saved.dateNow;
    this.saved = undefined;
    this.timers.clear();
  }

  private add(delayMs: number, callback: () => void, repeatMs: number | undefined): number {
    const id = this.nextId++;
    this.timers.set(id, { dueAtMs: this.nowMs + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), order: this.order++, callback, repeatMs });
    return id;
  }
}
