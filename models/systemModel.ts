import type { FaultKind } from '../world/faults/FaultKind.ts';
import { ComposedModel, describeComposed, stateName, violationTags, type ComposedState, type ConformanceFailure } from './composedModel.ts';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
import type { ModelEvent } from './modelEvents.ts';

export { MODEL_MACHINES, stateName, type ConformanceFailure, type MachineName } from './composedModel.ts';

/**
 * The composed model following one run: applies the run's abstract events in order, stops at the first one it
 * cannot accept, and remembers every violation state it passed through (a wake's wiring chain is dropped when the
 * wake ends; the violation it showed is kept).
 */
export class SystemModel {
  private readonly model: ComposedModel;
  private state: ComposedState;
  private readonly seenViolations = new Set<string>();

  constructor(config: Readonly<Record<string, string>>, faults: readonly FaultKind[], observer?: ModelObserver) {
    this.model = new ComposedModel(config, faults, observer);
    this.state = this.model.initial();
  }

  /** Violation properties the model reached so far (`duplicate-action`, `unwired-resolve`, `wake-replay`). */
  get violations(): ReadonlySet<string> {
    return this.seenViolations;
  }

  /** Applies one event; returns the failure when a machine that follows it cannot take it. */
  apply(event: ModelEvent): ConformanceFailure | undefined {
    const result = this.model.step(this.state, event);
    if (result.failure) return result.failure;
    this.state = result.state;
    for (const tag of violationTags(this.state)) this.seenViolations.add(tag);
    return undefined;
  }

  describe(): string {
    return describeComposed(this.state);
  }

  /** The lifecycle state of the most recently started host's runner (`running.streaming`, ...), if any. */
  latestRunnerState(): string | undefined {
    const latest = this.state.runners[this.state.runners.length - 1];
    return latest ? stateName(latest[1]) : undefined;
  }
}
