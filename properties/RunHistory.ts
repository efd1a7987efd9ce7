import type { FollowedRun } from '../models/followRun.ts';
import type { LoopEnd } from '../sim/run/runLoop.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import type { AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { LeaseRenewalPromise } from '../protocol/host/LeaseRenewalPromise.ts';

/** An external action the workload made due: it must be performed exactly once. */
export interface ExpectedAction {
  readonly entity: string;
  /** The action as the chat service records it, e.g. `digest:0`. */
  readonly action: string;
  readonly dueAtMs: number;
}

/** A claim the agents server's database still holds as active at the end of a run. */
export interface ActiveClaimAtEnd {
  readonly wakeId: string;
  readonly subscription: string;
  readonly runner: string;
  readonly generation?: number;
  readonly claimedAtMs?: number;
  /**
   * Whether the Durable Streams service still leases the claim's wake; unknown when absent (then only a handler span
   * still open in a live host shows the wake alive).
   */
  readonly leaseHeld?: boolean;
}

/** What the world's servers know at the end of a run. */
export interface WorldEndState {
  /** Host processes alive at the end. */
  readonly liveHosts: readonly string[];
  /** Claims the agents server's database still holds as active (its entities "running"). */
  readonly activeClaims: readonly ActiveClaimAtEnd[];
}

/** Everything the properties judge a run by. */
export interface RunHistory {
  /** Every switch value of the run (runtime, world, scenario). */
  readonly config: Readonly<Record<string, string>>;
  /** The fault kinds the run could use. */
  readonly faults: readonly FaultKind[];
  /** The trace: the world's observations, the scenario's probes, and (unless dropped) the runtime's annotations. */
  readonly events: readonly TraceEvent[];
  /**
   * The annotation vocabularies the trace holds: those the runtime declares, none when the run dropped its annotations.
   * Absent: none (the system models judge the run alone).
   */
  readonly annotations?: readonly AnnotationVocabulary[];
  /**
   * The lease-renewal schedule the runtime promised for this run's configuration (its `leaseRenewal`), which the
   * `protocol` property holds it to. A promise, not a report: it stays when the run drops its annotations. Absent: none.
   */
  readonly leaseRenewal?: LeaseRenewalPromise;
  readonly endedBy: LoopEnd;
  readonly endMs: number;
  readonly steps: number;
  /** The run's trace budget in events (`RunBudget.maxTraceEvents`), for the hang report of a run it cut off. */
  readonly maxTraceEvents?: number;
  readonly expectedActions: readonly ExpectedAction[];
  readonly endState: WorldEndState;
  /** Scheduler tasks still queued at the end (labels), for hang reports. */
  readonly pendingTasks: readonly string[];
  /** Work open for longer than this at the end of the run counts as hung. */
  readonly hangAfterMs: number;
  /** When the fault-free quiet period began. */
  readonly quietFromMs: number;
  /**
   * The composed model already followed along this run with these annotations (`runScenario` follows it once, for
   * coverage and conformance alike); model conformance follows the run itself when absent.
   */
  readonly followedModel?: FollowedRun;
}
