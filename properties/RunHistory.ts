import type { RuntimeConfig } from '../runtime/config.ts';
import type { LoopEnd } from '../sim/run/runLoop.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';

/** An external action the workload made due: it must be performed exactly once. */
export interface ExpectedAction {
  readonly entity: string;
  readonly occurrence: number;
  readonly dueAtMs: number;
}

/** Work still open when the run ended. */
export interface PendingWork {
  readonly actor: string;
  readonly kind: string;
  readonly label: string;
  readonly sinceMs: number;
}

/** Everything the oracles judge a run by. */
export interface RunHistory {
  /** The switches the runtime ran with: the models are parameterised by them. */
  readonly config: RuntimeConfig;
  /** The fault kinds the run could use: the models allow what they can cause. */
  readonly faults: readonly FaultKind[];
  readonly events: readonly TraceEvent[];
  readonly endedBy: LoopEnd;
  readonly endMs: number;
  readonly steps: number;
  readonly expectedActions: readonly ExpectedAction[];
  /** In-flight work of live processes at the end of the run. */
  readonly pendingWork: readonly PendingWork[];
  /** Scheduler tasks still queued at the end (labels), for hang reports. */
  readonly pendingTasks: readonly string[];
  /** Work open for longer than this at the end of the run counts as hung. */
  readonly hangAfterMs: number;
}
