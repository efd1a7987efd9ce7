import type { RuntimeUnderTest } from '../protocol/host/RuntimeUnderTest.ts';
import type { SwitchDefinition } from '../protocol/switches/SwitchDefinition.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import type { RunBudget } from '../sim/run/runLoop.ts';
import type { ExpectedAction, WorldEndState } from '../properties/index.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import type { SwitchValues } from './config/SwitchValues.ts';

/**
 * What identifies a family of runs: the scenario, the runtime under test, every switch value (of the runtime, the
 * world and the scenario) and the enabled fault kinds.
 */
export interface RunSpec {
  readonly scenario: string;
  readonly runtime: string;
  readonly config: SwitchValues;
  readonly faults: readonly FaultKind[];
  /**
   * The revision of the moments at which platform faults strike (`FAULT_MOMENT_REVISIONS`); the current one when
   * absent. A replay token carries it, so that a token replays under the moments it was explored with.
   */
  readonly faultMomentRevision?: number;
}

/** A scenario set up inside one simulated run, ready for the run loop. */
export interface ScenarioSetup {
  readonly budget: RunBudget;
  /** External actions the workload made due: each must be performed exactly once. */
  readonly expectedActions: readonly ExpectedAction[];
  /** Work open this long at the end of the run is a hang. */
  readonly hangAfterMs: number;
  /** When the fault-free quiet period begins (liveness is judged at the end of it). */
  readonly quietFromMs: number;
  /** What the world's servers know at the end of the run (asked once, after the loop). */
  endState(): WorldEndState;
}

/** A workload: world setup, the entity code, the fault space and what must hold. */
export interface Scenario {
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly summary: string;
  /** The fault kinds the scenario can inject; every kind when absent. Asking for others is a usage error. */
  readonly faultKinds?: readonly FaultKind[];
  /** The faults of a run when the user names none; the bug report's world when absent. */
  readonly defaultFaults?: readonly FaultKind[];
  /** Switches of the scenario's own entity code (e.g. how it checks for a duplicate). */
  readonly switches?: readonly SwitchDefinition[];
  /**
   * Builds the world inside `sim`, drawing the workload and fault plan from `sim.choices`, starts the hosts of
   * `runtime` in it, and schedules the workload.
   */
  setUp(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest): ScenarioSetup;
  /**
   * Properties that cannot judge runs of this configuration, each with why: they are left out of every run's judgement
   * (never passed silently: `explore` and `replay` print the reason). None when absent.
   */
  propertiesNotJudged?(config: SwitchValues): readonly PropertyNotJudged[];
  /**
   * Whether the composed model can follow this scenario's runs: its entity behaves like the daily-digest entity the
   * model's entity machine describes (one catch-up action per due occurrence, an idempotency check before it, a record
   * after it). `model-conformance` judges only such scenarios; for any other it is not judged, with the reason printed.
   */
  readonly followedByComposedModel?: boolean;
}

/**
 * The properties a scenario's runs of `config` are not judged by: its own list, and `model-conformance` when the
 * composed model cannot follow the scenario ({@link Scenario.followedByComposedModel}).
 */
export function propertiesNotJudgedIn(scenario: Scenario, config: SwitchValues): readonly PropertyNotJudged[] {
  const own = scenario.propertiesNotJudged?.(config) ?? [];
  if (scenario.followedByComposedModel === true || own.some((entry) => entry.property === 'model-conformance')) return own;
  const reason = `the composed model follows the daily-digest entity, and scenario ${scenario.name} does not say its entity behaves like it (Scenario.followedByComposedModel)`;
  return [...own, { property: 'model-conformance', reason }];
}

/** A property a configuration's runs are not judged by, and why. */
export interface PropertyNotJudged {
  readonly property: string;
  readonly reason: string;
}
