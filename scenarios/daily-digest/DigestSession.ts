import type { ChoiceSource } from '../../sim/choice/ChoiceSource.ts';
import { HermeticLeakError, recordLeak, type Leak } from '../../sim/hermetic/LeakReport.ts';
import { HermeticGlobals } from '../../sim/hermetic/VirtualGlobals.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { Scheduler } from '../../sim/scheduler/Scheduler.ts';
import { Trace } from '../../sim/trace/Trace.ts';
import { createModelEventTranslator } from '../../models/modelEvents.ts';
import { SystemModel, type ConformanceFailure } from '../../models/systemModel.ts';
import type { RunSpec } from '../Scenario.ts';
import { getRuntime } from '../registry/runtimes.ts';
import { occurrenceDueAtMs, type CronSchedule } from '../../world/agents-server/CronScheduler.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { buildDigestWorld, type DigestWorld } from './dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from './DigestScenarioOptions.ts';

/** Steps one session may take per call to {@link DigestSession.advance} before it gives up (a hang). */
const MAX_STEPS_PER_ADVANCE = 20_000;

/**
 * The daily-digest world driven from outside, one command at a time, for model-based tests: no drawn workload and no
 * random faults; the caller sends messages, redeploys, arms preload failures and lets virtual time pass. Interleavings
 * and delivery delays still come from the choice source. Every event is fed to the composed model as it happens.
 *
 * Hermetic like a run of `runScenario` (sim/hermetic/, mode `forbid`): the globals are the simulation's while the
 * session builds its world, runs a command or advances, and real ones in between, while fast-check and the test run.
 * A leak is recorded in the trace and makes the call that caused it throw a {@link HermeticLeakError}.
 */
export class DigestSession {
  private readonly sim: SimContext;
  private readonly digest: DigestWorld;
  private readonly hermetic: HermeticGlobals;
  private leaksThrown = 0;
  readonly model: SystemModel;
  private fed = 0;
  private readonly toModelEvent = createModelEventTranslator();
  private messages = 0;
  /** The first event the model did not accept, if any. */
  conformanceFailure: ConformanceFailure | undefined;

  constructor(
    /** What to run; its faults are ignored: only reordered deliveries are random, preload failures are armed. */
    readonly spec: RunSpec,
    choices: ChoiceSource,
    occurrences: number,
    /** Sizes and timings; tests plant defects through them. */
    options: DigestScenarioOptions = DEFAULT_DIGEST_OPTIONS,
  ) {
    const scheduler = new Scheduler(choices);
    const trace = new Trace(scheduler);
    this.hermetic = new HermeticGlobals(scheduler, { mode: 'actors', onLeak: (leak) => recordLeak(trace, leak) });
    this.sim = { scheduler, choices, trace, hermetic: this.hermetic };
    const schedule: CronSchedule = { name: 'daily-digest', firstDueAtMs: options.firstDueAtMs, periodMs: options.dayMs, count: occurrences };
    // Only the delivery faults are random; preload failures happen when armed.
    const faults: FaultKind[] = ['delivery-reorder'];
    const sessionSpec: RunSpec = { ...spec, faults };
    this.digest = this.hermetically(() => buildDigestWorld(this.sim, sessionSpec, getRuntime(spec.runtime), options, schedule));
    this.model = new SystemModel(spec.config, faults);
  }

  /** The distinct leaks of the session so far (each also a `hermetic-leak` event). */
  get leaks(): readonly Leak[] {
    return this.hermetic.leaks;
  }

  get nowMs(): number {
    return this.sim.scheduler.nowMs;
  }

  get schedule(): CronSchedule {
    return this.digest.schedule;
  }

  /** Lets `durationMs` of virtual time pass (or stops early when nothing is scheduled, or at a step that spun), feeding the model. */
  async advance(durationMs: number): Promise<'ok' | 'step-budget' | 'spin'> {
    const { scheduler, trace } = this.sim;
    const end = await this.hermetic.run(() => runLoop(scheduler, { horizonMs: scheduler.nowMs + durationMs, maxSteps: scheduler.steps + MAX_STEPS_PER_ADVANCE }, undefined, undefined, trace));
    // After a spin the trace stays halted: the session is over, and what it recorded up to the spin is its story.
    if (end === 'spin') return 'spin';
    this.feedModel();
    this.throwOnNewLeaks();
    return end === 'step-budget' ? 'step-budget' : 'ok';
  }

  /**
   * Lets virtual time pass up to `atMs` exactly (an empty task of the workload marks the instant: {@link advance} stops
   * at the last task before its horizon), feeding the model. For drivers that time a command to the millisecond.
   */
  async advanceTo(atMs: number): Promise<'ok' | 'step-budget' | 'spin'> {
    if (atMs <= this.nowMs) return 'ok';
    this.sim.scheduler.schedule(atMs - this.nowMs, 'workload', `until ${atMs} ms`, () => {});
    return this.advance(atMs - this.nowMs);
  }

  /** Runs until just after the next occurrence falls due; false when none is left. */
  async untilNextOccurrence(): Promise<boolean> {
    const next = this.nextOccurrence();
    if (next === undefined) return false;
    await this.advance(occurrenceDueAtMs(this.digest.schedule, next) - this.nowMs + 1);
    return true;
  }

  /** Virtual time until the next occurrence falls due (Infinity when none is left). */
  msUntilNextOccurrence(): number {
    const next = this.nextOccurrence();
    return next === undefined ? Number.POSITIVE_INFINITY : occurrenceDueAtMs(this.digest.schedule, next) - this.nowMs;
  }

  nextOccurrence(): number | undefined {
    const { schedule } = this.digest;
    for (let occurrence = 0; occurrence < schedule.count; occurrence += 1) if (occurrenceDueAtMs(schedule, occurrence) > this.nowMs) return occurrence;
    return undefined;
  }

  sendMessage(): void {
    this.hermetically(() => this.digest.sendMessage(this.messages++));
  }

  redeploy(): void {
    this.hermetically(() => void this.digest.supervisor.redeploy());
  }

  crash(): void {
    this.hermetically(() => void this.digest.supervisor.crash());
  }

  armPreloadFailure(kind: 'preload-not-found' | 'preload-foreign-item'): void {
    this.hermetically(() => this.digest.world.arm(kind));
  }

  /** How often each occurrence was posted, as the chat saw it. */
  posts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const event of this.sim.trace.events) {
      const match = event.kind === 'action-performed' ? /^digest:(\d+)$/.exec(String(event.detail['action'])) : null;
      if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    }
    return counts;
  }

  /** Entity handlers the scenario saw start and not end in the live host (a hang when they stay). */
  openHandlers(): string[] {
    const live = this.digest.supervisor.liveProcess?.name;
    const open = new Map<string, string>();
    for (const event of this.sim.trace.events) {
      if (event.actor !== live) continue;
      const wake = String(event.detail['wakeId']);
      if (event.kind === 'handler-start') open.set(wake, `handler for wake ${wake} since ${event.atMs} ms`);
      else if (event.kind === 'handler-end') open.delete(wake);
    }
    return [...open.values()];
  }

  /** The trace so far, for failure reports. */
  get events() {
    return this.sim.trace.events;
  }

  /**
   * Runs the synchronous part of a command with the simulation's globals installed. An error the command's code lets
   * go after it returned (the rejection of a request its SIGTERM aborted, say) is reported by Node only once the
   * microtasks ran: it reaches the process's own listeners (vitest's), not the simulated process, unless the driver's
   * next `advance` has installed the globals again by then, as it has when called right after the command.
   */
  private hermetically<T>(body: () => T): T {
    const result = this.hermetic.runSync(body);
    this.throwOnNewLeaks();
    return result;
  }

  private throwOnNewLeaks(): void {
    const leaks = this.hermetic.leaks;
    if (leaks.length === this.leaksThrown) return;
    const fresh = leaks.slice(this.leaksThrown);
    this.leaksThrown = leaks.length;
    throw new HermeticLeakError(fresh);
  }

  private feedModel(): void {
    const events = this.sim.trace.events;
    for (; this.fed < events.length && !this.conformanceFailure; this.fed += 1) {
      const modelEvent = this.toModelEvent(events[this.fed]!);
      if (modelEvent) this.conformanceFailure = this.model.apply(modelEvent);
    }
  }
}
