import { currentActor, runAsActor } from '../actors/actorContext.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { ActorError } from './ActorErrors.ts';
import type { TaskHandle } from '../scheduler/Task.ts';

/** What virtual timers need of a scheduler: its clock, and adding and cancelling tasks. */
export type TimerScheduler = Pick<Scheduler, 'nowMs' | 'schedule' | 'cancel'>;

/** The largest delay Node accepts; longer (and shorter than 1 ms, or not a number) becomes 1 ms, as in Node. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

/** The kinds of timer a run can set, named as the API that sets them. */
export type TimerApi = 'setTimeout' | 'setInterval' | 'setImmediate' | 'AbortSignal.timeout';

interface TimerEntry {
  readonly handle: VirtualTimer;
  /** The actor that set the timer (its callback runs as that actor), or undefined for code outside every actor. */
  readonly actor: string | undefined;
  readonly api: TimerApi;
  readonly delayMs: number;
  readonly callback: (...args: unknown[]) => void;
  readonly args: readonly unknown[];
  task: TaskHandle;
}

/**
 * What a virtual `setTimeout` / `setInterval` / `setImmediate` returns: shaped like Node's `Timeout` (`ref`, `unref`,
 * `hasRef`, `refresh`, `close`, a numeric primitive value) so library code that calls `.unref?.()` keeps working.
 */
export class VirtualTimer {
  constructor(
    private readonly timers: VirtualTimers,
    /** Unique within the run; what `+timer` gives, and what `clearTimeout(number)` accepts. */
    readonly id: number,
  ) {}

  /** A no-op: a virtual timer never keeps a process alive. */
  ref(): this {
    return this;
  }

  /** A no-op: a virtual timer never keeps a process alive. */
  unref(): this {
    return this;
  }

  hasRef(): boolean {
    return true;
  }

  /** Restarts the timer's delay from the current virtual time (a no-op once it fired or was cleared). */
  refresh(): this {
    this.timers.refresh(this.id);
    return this;
  }

  close(): this {
    this.timers.clear(this.id);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/**
 * Timers over virtual time: each one is a task on the run's scheduler (label `setTimeout 500 ms`), so it fires when
 * the run loop reaches its due time and shows in the trace as a step like any other work. A timer set by code running
 * as an actor (sim/actors/) is a task of that actor and fires as that actor, so a process that dies takes its timers
 * with it; other timers belong to `timerActor`. Delays follow Node's rules (at least 1 ms; `setImmediate` fires at the
 * current instant, after what is already due).
 */
export class VirtualTimers {
  private readonly entries = new Map<number, TimerEntry>();
  private nextId = 1;

  constructor(
    private readonly scheduler: TimerScheduler,
    private readonly timerActor: string,
    /**
     * Told of an exception an actor's timer callback threw, as Node would emit `uncaughtException`; true when it was
     * taken care of, false to let it propagate out of the scheduler's step as before.
     */
    private readonly callbackThrew: (error: ActorError) => boolean = () => false,
  ) {}

  /** Timers set and neither fired (for timeouts and immediates) nor cleared. */
  get pendingCount(): number {
    return this.entries.size;
  }

  set(api: TimerApi, callback: unknown, delay: unknown, args: readonly unknown[]): VirtualTimer {
    if (typeof callback !== 'function') throw new TypeError(`The "callback" argument of ${api} must be of type function`);
    const handle = new VirtualTimer(this, this.nextId++);
    const delayMs = api === 'setImmediate' ? 0 : normaliseDelay(delay);
    const entry: TimerEntry = { handle, actor: currentActor(), api, delayMs, callback: callback as TimerEntry['callback'], args, task: { id: -1 } };
    entry.task = this.schedule(entry);
    this.entries.set(handle.id, entry);
    return handle;
  }

  /**
   * Cancels a virtual timer given as its handle or its id; true when it was one of this run's. Anything else (a real
   * timer set before the run) is left to the caller.
   */
  clear(timer: unknown): boolean {
    const id = timer instanceof VirtualTimer ? timer.id : typeof timer === 'number' || typeof timer === 'string' ? Number(timer) : undefined;
    const entry = id === undefined ? undefined : this.entries.get(id);
    if (entry === undefined) return timer instanceof VirtualTimer;
    this.scheduler.cancel(entry.task);
    this.entries.delete(entry.handle.id);
    return true;
  }

  refresh(id: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.scheduler.cancel(entry.task);
    entry.task = this.schedule(entry);
  }

  private schedule(entry: TimerEntry): TaskHandle {
    const label = entry.api === 'setImmediate' ? entry.api : `${entry.api} ${entry.delayMs} ms`;
    const actor = entry.actor;
    if (actor === undefined) return this.scheduler.schedule(entry.delayMs, this.timerActor, label, () => this.fire(entry));
    return this.scheduler.schedule(entry.delayMs, actor, label, () => runAsActor(actor, () => this.fireAsActor(entry, actor)));
  }

  /** A throw out of a process's timer callback is that process's uncaught exception, not the scheduler's. */
  private fireAsActor(entry: TimerEntry, actor: string): void {
    try {
      this.fire(entry);
    } catch (error) {
      if (!this.callbackThrew({ actor, kind: 'uncaught-exception', error })) throw error;
    }
  }

  private fire(entry: TimerEntry): void {
    if (entry.api === 'setInterval') entry.task = this.schedule(entry);
    else this.entries.delete(entry.handle.id);
    entry.callback.apply(entry.handle, [...entry.args]);
  }
}

function normaliseDelay(delay: unknown): number {
  const delayMs = Number(delay);
  return delayMs >= 1 && delayMs <= TIMEOUT_MAX_MS ? Math.trunc(delayMs) : 1;
}
