import type { RuntimeConfig } from '../runtime/config.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import type { RunBudget } from '../sim/run/runLoop.ts';
import type { ExpectedAction, PendingWork } from '../properties/index.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';

/** What identifies a family of runs: the scenario, the runtime's switches and the enabled fault kinds. */
export interface RunSpec {
  readonly scenario: string;
  readonly config: RuntimeConfig;
  readonly faults: readonly FaultKind[];
}

/** A scenario set up inside one simulated run, ready for the run loop. */
export interface ScenarioSetup {
  readonly budget: RunBudget;
  readonly expectedActions: readonly ExpectedAction[];
  /** Work in flight in live processes, asked at the end of the run. */
  pendingWork(): PendingWork[];
  readonly hangAfterMs: number;
}

/** A workload: world setup, runtime, fault space and what must hold. */
export interface Scenario {
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly summary: string;
  /** The fault kinds the scenario can inject; every kind when absent. Asking for others is a usage error. */
  readonly faultKinds?: readonly FaultKind[];
  /** The faults of a run when the user names none; the bug report's world when absent. */
  readonly defaultFaults?: readonly FaultKind[];
  /** Builds the world inside `sim`, drawing the workload and fault plan from `sim.choices`, and schedules it. */
  setUp(sim: SimContext, spec: RunSpec): ScenarioSetup;
}
