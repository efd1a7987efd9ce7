import type { ChoiceSource } from '../sim/choice/ChoiceSource.ts';
import { runLoop, type LoopEnd } from '../sim/run/runLoop.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import { Scheduler } from '../sim/scheduler/Scheduler.ts';
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

/**
 * Runs one scenario under one choice source: sets up the world, runs the loop to its budget, judges the history with
 * every oracle, and seals the trace. `scenario` defaults to the registered one of that name (tests pass variants).
 * Deterministic: the same spec and the same answers give the same trace hash.
 */
export async function runScenario(spec: RunSpec, choices: ChoiceSource, scenario: Scenario = getScenario(spec.scenario)): Promise<RunResult> {
  const scheduler = new Scheduler(choices);
  const trace = new Trace(scheduler);
  const sim: SimContext = { scheduler, choices, trace };
  const { wiring, offset, idempotency } = spec.config;
  // Switches in a fixed order: the same configuration hashes the same however the caller wrote it.
  trace.record('sim', 'run-start', { scenario: spec.scenario, wiring, offset, idempotency, faults: [...spec.faults] });
  const setup = scenario.setUp(sim, spec);
  const endedBy = await runLoop(scheduler, setup.budget, (task) => trace.record(task.actor, 'step', { task: task.label }));
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
