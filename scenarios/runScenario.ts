import type { ChoiceSource } from '../sim/choice/ChoiceSource.ts';
import { captureConsole } from '../sim/hermetic/captureConsole.ts';
import { recordLeak } from '../sim/hermetic/LeakReport.ts';
import { HermeticGlobals } from '../sim/hermetic/VirtualGlobals.ts';
import { runLoop, type LoopEnd } from '../sim/run/runLoop.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import { Scheduler } from '../sim/scheduler/Scheduler.ts';
import type { Task } from '../sim/scheduler/Task.ts';
import { Trace, type TraceEvent } from '../sim/trace/Trace.ts';
import { judge, type Violation } from '../properties/index.ts';
import { getScenario, type RunSpec, type Scenario } from './index.ts';

/** Everything one simulated run produced. */
export interface RunResult {
  readonly spec: RunSpec;
  readonly traceHash: string;
  readonly events: readonly TraceEvent[];
  readonly violations: readonly Violation[];
  readonly steps: number;
  readonly endedBy: LoopEnd;
  readonly endMs: number;
  /** The answers the run received: replaying them reproduces the run exactly. */
  readonly choices: readonly number[];
}

/** Awaited before each scheduler step of a run; for harnesses that decide the next task asynchronously. */
export type BeforeStep = (scheduler: Scheduler) => Promise<void>;

/**
 * Runs one scenario under one choice source: sets up the world, runs the loop to its budget, judges the history with
 * every oracle, and seals the trace. `scenario` defaults to the registered one of that name (tests pass variants).
 * Deterministic: the same spec and the same answers give the same trace hash. The run is hermetic (sim/hermetic/):
 * from `setUp` to the end of the loop the process's timers, clocks, randomness and network are the simulation's,
 * removed again when the loop ends or throws.
 */
export async function runScenario(
  spec: RunSpec,
  choices: ChoiceSource,
  scenario: Scenario = getScenario(spec.scenario),
  beforeStep?: BeforeStep,
): Promise<RunResult> {
  const scheduler = new Scheduler(choices);
  const trace = new Trace(scheduler);
  // Time, randomness and network of the process are the run's while it executes; a call the runtime should have
  // made through its ports is recorded as a leak (the `hermetic` property).
  const hermetic = new HermeticGlobals(scheduler, { mode: 'forbid', onLeak: (leak) => recordLeak(trace, leak) });
  const sim: SimContext = { scheduler, choices, trace, hermetic };
  const { wiring, offset, idempotency, streams } = spec.config;
  // Switches in a fixed order: the same configuration hashes the same however the caller wrote it. The library tier
  // is named only when selected, so fast-tier traces hash as they always did.
  const tier: { streams?: string } = streams === 'real' ? { streams } : {};
  trace.record('sim', 'run-start', { scenario: spec.scenario, wiring, offset, idempotency, ...tier, faults: [...spec.faults] });
  const releaseConsole = captureConsole((level, text) => trace.record('console', 'console', { level, text }));
  const { setup, endedBy } = await hermetic
    .run(async () => {
      const setup = scenario.setUp(sim, spec);
      const onStep = (task: Task): void => void trace.record(task.actor, 'step', { task: task.label });
      return { setup, endedBy: await runLoop(scheduler, setup.budget, onStep, beforeStep) };
    })
    .finally(releaseConsole);
  const violations = judge({
    config: spec.config,
    faults: spec.faults,
    events: trace.events,
    endedBy,
    endMs: scheduler.nowMs,
    steps: scheduler.steps,
    expectedActions: setup.expectedActions,
    pendingWork: setup.pendingWork(),
    pendingTasks: scheduler.pendingTasks().map((task) => `${task.actor}: ${task.label} at ${task.dueAtMs} ms`),
    hangAfterMs: setup.hangAfterMs,
  });
  trace.record('sim', 'run-end', { endedBy, violations: violations.map((violation) => violation.property) });
  return {
    spec,
    traceHash: trace.hash(),
    events: trace.events,
    violations,
    steps: scheduler.steps,
    endedBy,
    endMs: scheduler.nowMs,
    choices: [...choices.recorded],
  };
}
