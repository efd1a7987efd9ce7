import type { RuntimeUnderTest } from '../protocol/host/RuntimeUnderTest.ts';
import type { ChoiceSource } from '../sim/choice/ChoiceSource.ts';
import { captureConsole } from '../sim/hermetic/captureConsole.ts';
import { recordLeak } from '../sim/hermetic/LeakReport.ts';
import { HermeticGlobals } from '../sim/hermetic/VirtualGlobals.ts';
import { runLoop, type LoopEnd, type RunBudget } from '../sim/run/runLoop.ts';
import { DEFAULT_MAX_TRACE_EVENTS } from '../sim/run/traceBudget.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import { Scheduler } from '../sim/scheduler/Scheduler.ts';
import type { Task } from '../sim/scheduler/Task.ts';
import { Trace, type TraceEvent } from '../sim/trace/Trace.ts';
import { followRun } from '../models/followRun.ts';
import { transitionId } from '../models/coverage/transitionCatalog.ts';
import { judge, type Violation } from '../properties/index.ts';
import { getRuntime } from './registry/runtimes.ts';
import { recordedConfig } from './config/recordedConfig.ts';
import { getScenario, switchesFor, type RunSpec, type Scenario } from './index.ts';
import { propertiesNotJudgedIn, type ScenarioSetup } from './Scenario.ts';
import { ScenarioCodeError } from './ScenarioCodeError.ts';

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
  /** The transitions of the composed model the run took (ids as `models coverage` catalogs them), sorted. */
  readonly modelTransitions: readonly string[];
}

/** Awaited before each scheduler step of a run; for harnesses that decide the next task asynchronously. */
export type BeforeStep = (scheduler: Scheduler) => Promise<void>;

/** Variations of one run, for tests and harnesses; a run from the command line uses none. */
export interface RunOptions {
  /** The scenario to set up instead of the registered one of the spec's name (tests pass variants). */
  readonly scenario?: Scenario;
  /** The runtime to start instead of the registered one of the spec's name. */
  readonly runtime?: RuntimeUnderTest;
  readonly beforeStep?: BeforeStep;
  /**
   * Drop every runtime annotation: the properties must reach the same verdicts from what the world observed alone
   * (a runtime we did not write annotates nothing).
   */
  readonly dropAnnotations?: boolean;
  /**
   * Follow the run with the composed model and judge model conformance (default true). Off, the run is judged by
   * every other property and reports no model transitions: the throughput bench prices conformance this way.
   */
  readonly conformance?: boolean;
  /**
   * Judge the properties (default true). Off, the run is judged by none and its result has no violations (with
   * conformance on, the composed model still follows the run, for its transitions): the throughput bench prices the
   * properties this way, to show what the world, the runtime and the kernel cost alone.
   */
  readonly properties?: boolean;
}

/**
 * Runs one scenario under one choice source: sets up the world and starts the runtime under test in it, runs the loop
 * to its budget (its steps and its trace events, {@link DEFAULT_MAX_TRACE_EVENTS} unless the scenario names a limit),
 * judges the history with every property, and seals the trace. Deterministic: the same spec and the same answers give
 * the same trace hash. The run is hermetic (sim/hermetic/): from `setUp` to the end of the loop the process's timers,
 * clocks, randomness and network are the simulation's — served as the simulated process's own for code running in
 * one, a leak anywhere else — removed again when the loop ends or throws.
 */
export async function runScenario(spec: RunSpec, choices: ChoiceSource, options: RunOptions = {}): Promise<RunResult> {
  const scenario = options.scenario ?? getScenario(spec.scenario);
  const runtime = options.runtime ?? getRuntime(spec.runtime);
  const scheduler = new Scheduler(choices);
  const trace = new Trace(scheduler, { dropAnnotations: options.dropAnnotations ?? false });
  const hermetic = new HermeticGlobals(scheduler, { mode: 'actors', onLeak: (leak) => recordLeak(trace, leak) });
  const sim: SimContext = { scheduler, choices, trace, hermetic };
  // Switches in the spec's order, which resolution fixed: the same configuration hashes the same however it was written.
  const config = recordedConfig(spec.config, switchesFor(scenario, runtime));
  trace.record('sim', 'run-start', { scenario: spec.scenario, runtime: spec.runtime, ...config, faults: [...spec.faults] });
  const releaseConsole = captureConsole((level, text) => trace.record('console', 'console', { level, text }));
  const { setup, budget, endedBy } = await hermetic
    .run(async () => {
      const setup = setUpWorld(scenario, sim, spec, runtime);
      const budget = budgetOf(setup.budget);
      const onStep = (task: Task): void => void trace.record(task.actor, 'step', { task: task.label });
      return { setup, budget, endedBy: await runLoop(scheduler, budget, onStep, options.beforeStep, trace) };
    })
    .finally(releaseConsole);
  // After a spin every recording threw, to stop the loop; the run's own end is recorded as usual.
  trace.endHalt();
  const annotations = options.dropAnnotations ? [] : (runtime.annotations ?? []);
  const leaseRenewal = runtime.leaseRenewal?.(spec.config);
  // The composed model follows the run once: model conformance judges it, and its transitions are the run's coverage.
  const modelTransitions = new Set<string>();
  // A configuration the composed model cannot follow (several entities) is not judged by it, nor followed for coverage.
  const notJudged = propertiesNotJudgedIn(scenario, spec.config).map((entry) => entry.property);
  const conformance = (options.conformance ?? true) && !notJudged.includes('model-conformance');
  const followedModel = conformance
    ? followRun(
        { events: trace.events, config: spec.config, faults: spec.faults, annotations },
        { observer: { transitionTaken: (machine, definition) => void modelTransitions.add(transitionId(machine, definition)), stateEntered: () => {} } },
      )
    : undefined;
  const judged = options.properties ?? true;
  const violations = judged ? judge({
    config: spec.config,
    faults: spec.faults,
    events: trace.events,
    annotations,
    endedBy,
    endMs: scheduler.nowMs,
    steps: scheduler.steps,
    maxTraceEvents: budget.maxTraceEvents,
    expectedActions: setup.expectedActions,
    endState: setup.endState(),
    pendingTasks: scheduler.pendingTasks().map((task) => `${task.actor}: ${task.label} at ${task.dueAtMs} ms`),
    hangAfterMs: setup.hangAfterMs,
    quietFromMs: setup.quietFromMs,
    ...(followedModel ? { followedModel } : {}),
    ...(leaseRenewal ? { leaseRenewal } : {}),
  }, { skip: [...new Set([...notJudged, ...(conformance ? [] : ['model-conformance'])])] }) : [];
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
    modelTransitions: [...modelTransitions].sort(),
  };
}

/** The scenario's budget with the trace limit every run has: the scenario's own, else the default. */
function budgetOf(budget: RunBudget): RunBudget & { readonly maxTraceEvents: number } {
  return { ...budget, maxTraceEvents: budget.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS };
}

/** The scenario's setUp; what it throws is the scenario's error ({@link ScenarioCodeError}), not the tool's. */
function setUpWorld(scenario: Scenario, sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest): ScenarioSetup {
  try {
    return scenario.setUp(sim, spec, runtime);
  } catch (error) {
    throw new ScenarioCodeError(scenario.name, error);
  }
}
