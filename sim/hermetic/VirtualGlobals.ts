import { currentActor } from '../actors/actorContext.ts';
import { routeActorErrors, type ActorErrorHandler } from './ActorErrors.ts';
import { activeRun, setActiveRun, type HermeticRun } from './activeRun.ts';
import { callerOf } from './callerOf.ts';
import { applyGlobalPatches } from './globalPatches.ts';
import { DEFAULT_RANDOM_SEED, DEFAULT_TIMER_ACTOR, HERMETIC_MODES, VIRTUAL_EPOCH_MS, type HermeticMode, type HermeticOptions } from './HermeticOptions.ts';
import type { Leak, LeakKind } from './LeakReport.ts';
import { VirtualRandom } from './VirtualRandom.ts';
import { VirtualTimers, type TimerScheduler } from './VirtualTimers.ts';

/**
 * The process-wide time, randomness and network of one simulated run. While installed, the global timers, `Date`,
 * `performance.now`, `process.hrtime`, `AbortSignal.timeout`, `Math.random`, the Web Crypto random functions, `fetch`
 * and `net.Socket.prototype.connect` are the simulation's (globalPatches.ts): timers are tasks on the run's scheduler,
 * clocks read its virtual time, randomness comes from a seeded generator that records no choice. Under mode `forbid`
 * each of those calls is also a leak; real network access is a leak in every mode (HermeticOptions.ts). Leaks are
 * collected here and told to `onLeak` as they happen.
 *
 * One instance per run; it may be installed and removed several times (a session driven command by command) and
 * keeps its timers, generator and leaks in between. Only one instance is installed at a time in a process or worker
 * thread: runs are awaited one after the other, and an overlapping installation throws. Installing and removing
 * is a few property writes and a swap of two process listeners, about 5 µs together on Node 20 (a run takes
 * milliseconds); the kernel's microtask drain keeps the real `setImmediate`, captured when it loads
 * (sim/scheduler/drainMicrotasks.ts).
 */
export class HermeticGlobals implements HermeticRun {
  readonly timers: VirtualTimers;
  readonly random: VirtualRandom;
  private currentMode: HermeticMode;
  private readonly found: Leak[] = [];
  private readonly byPlace = new Map<string, Leak>();
  private restore: (() => void) | undefined;
  private readonly actorFetches = new Map<string, typeof fetch>();
  private actorErrorHandler: ActorErrorHandler | undefined;

  constructor(
    private readonly scheduler: TimerScheduler,
    private readonly options: HermeticOptions,
  ) {
    this.currentMode = checkMode(options.mode);
    this.timers = new VirtualTimers(scheduler, options.timerActor ?? DEFAULT_TIMER_ACTOR, (error) => this.actorErrorHandler?.(error) ?? false);
    this.random = new VirtualRandom(options.randomSeed ?? DEFAULT_RANDOM_SEED);
  }

  get mode(): HermeticMode {
    return this.currentMode;
  }

  /**
   * Switches the mode from now on: a scenario whose runtime runs real library code calls `setMode('virtualise')`
   * in its `setUp`, before anything runs.
   */
  setMode(mode: HermeticMode): void {
    this.currentMode = checkMode(mode);
  }

  /** The distinct leaks so far, in the order they first happened. */
  get leaks(): readonly Leak[] {
    return this.found;
  }

  get installed(): boolean {
    return this.restore !== undefined;
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  get epochNowMs(): number {
    return VIRTUAL_EPOCH_MS + this.scheduler.nowMs;
  }

  /** Puts the simulation's globals in place. Throws when another run's are installed (runs must not overlap). */
  install(): void {
    if (this.restore) return;
    if (activeRun()) {
      throw new Error('hermetic run: another simulated run is in flight in this process; simulated runs must not overlap (await each before starting the next)');
    }
    const restoreGlobals = applyGlobalPatches();
    const restoreErrorRouting = routeActorErrors(() => this.actorErrorHandler);
    this.restore = () => {
      restoreErrorRouting();
      restoreGlobals();
    };
    setActiveRun(this);
  }

  /** Puts the real globals back; a no-op when not installed. */
  remove(): void {
    if (!this.restore) return;
    setActiveRun(undefined);
    const restore = this.restore;
    this.restore = undefined;
    restore();
  }

  /** Runs `body` with the globals installed, and removes them when it settles, also when it throws. */
  async run<T>(body: () => T | Promise<T>): Promise<T> {
    this.install();
    try {
      return await body();
    } finally {
      this.remove();
    }
  }

  /** The synchronous {@link run}: for setting up a world outside a run loop. */
  runSync<T>(body: () => T): T {
    this.install();
    try {
      return body();
    } finally {
      this.remove();
    }
  }

  touch(kind: Exclude<LeakKind, 'network'>, api: string): void {
    if (this.currentMode === 'forbid' || (this.currentMode === 'actors' && currentActor() === undefined)) this.leak(kind, api);
  }

  /**
   * Where errors an actor's code never handled go while the run is installed (sim/hermetic/ActorErrors.ts): the
   * handler decides what they mean for the actor. Errors it does not take, and all of them without a handler, reach
   * the listeners the process had before the run.
   */
  handleActorErrors(handler: ActorErrorHandler): void {
    this.actorErrorHandler = handler;
  }

  /** Makes the global `fetch`, called by code running as `actor`, that actor's simulated network. */
  bindFetch(actor: string, fetchForActor: typeof fetch): void {
    this.actorFetches.set(actor, fetchForActor);
  }

  /** The simulated `fetch` of the actor running now, if it has one. */
  fetchOfCurrentActor(): typeof fetch | undefined {
    const actor = currentActor();
    return actor === undefined ? undefined : this.actorFetches.get(actor);
  }

  leak(kind: LeakKind, api: string, target?: string): Leak {
    const caller = callerOf();
    const key = `${api}|${caller}`;
    const known = this.byPlace.get(key);
    if (known) return known;
    const leak: Leak = target === undefined ? { kind, api, caller } : { kind, api, caller, target };
    this.byPlace.set(key, leak);
    this.found.push(leak);
    this.options.onLeak?.(leak);
    return leak;
  }
}

function checkMode(mode: HermeticMode): HermeticMode {
  if (!HERMETIC_MODES.includes(mode)) throw new Error(`unknown hermetic mode "${String(mode)}" (known: ${HERMETIC_MODES.join(', ')})`);
  return mode;
}

/** The instance whose globals are installed in this process, if any (for tests and diagnostics). */
export function installedHermeticGlobals(): HermeticGlobals | undefined {
  const run = activeRun();
  return run instanceof HermeticGlobals ? run : undefined;
}
