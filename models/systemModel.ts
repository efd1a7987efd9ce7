import type { AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import { ComposedModel, describeComposed, stateName, type ComposedModelOptions, type ComposedState, type ConformanceFailure } from './composedModel.ts';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
import type { ModelEvent } from './modelEvents.ts';
import type { ModelMachines } from './modelLayers.ts';
import { missedOccurrences, type DigestEntityContext } from './system/digestEntity.ts';

export { MODEL_MACHINES, stateName, type ConformanceFailure, type MachineName } from './composedModel.ts';

/** A violation the model judged: it entered a violation state, or (for `missed-action`) the run ended owing an action. */
export interface ModelFinding {
  readonly property: string;
  /** Where the caller was when the model entered the state (its `at` for that event); absent at the end of the run. */
  readonly at?: number;
}

/** Options of a {@link SystemModel} beyond the run's switches and faults. */
export interface SystemModelOptions {
  /** The annotation vocabularies the run has (all by default): their runtime-internal models join the system ones. */
  readonly annotations?: readonly AnnotationVocabulary[];
  /** Machines to use instead of the project's own (a test plants a wrong model). */
  readonly machines?: Partial<ModelMachines>;
  /** Step the machines through XState without the transition memo (see {@link ComposedModelOptions.interpreted}). */
  readonly interpreted?: boolean;
}

/**
 * The composed model following one run: applies the run's abstract events in order, stops at the first one it
 * cannot accept, and records every violation state it entered (a wake's wiring chain is dropped when the wake ends;
 * the violation it showed is kept) and, at {@link finish}, what the run still owes.
 */
export class SystemModel {
  private readonly model: ComposedModel;
  private state: ComposedState;
  private readonly seen: ModelFinding[] = [];

  constructor(config: Readonly<Record<string, string>>, faults: readonly FaultKind[], observer?: ModelObserver, options: SystemModelOptions = {}) {
    const composed: ComposedModelOptions = { ...options, ...(observer ? { observer } : {}) };
    this.model = new ComposedModel(config, faults, composed);
    this.state = this.model.initial();
  }

  /** Violation properties the model reached so far (`duplicate-action`, `unwired-resolve`, `wake-replay`, ...). */
  get violations(): ReadonlySet<string> {
    return new Set(this.seen.map((finding) => finding.property));
  }

  /** Every violation state entry so far, in order. */
  get findings(): readonly ModelFinding[] {
    return this.seen;
  }

  /** Applies one event; returns the failure when a machine that follows it cannot take it. `at` tags its findings. */
  apply(event: ModelEvent, at?: number): ConformanceFailure | undefined {
    const result = this.model.step(this.state, event);
    if (result.failure) return result.failure;
    this.state = result.state;
    for (const property of result.entered) this.seen.push(at === undefined ? { property } : { property, at });
    return undefined;
  }

  /**
   * The end of the run (after its quiet period): each occurrence that fell due and was never posted is a
   * `missed-action` finding. Returns them (they are findings from then on too).
   */
  finish(): ModelFinding[] {
    const missed = missedOccurrences(this.state.entity.context as DigestEntityContext).map((): ModelFinding => ({ property: 'missed-action' }));
    this.seen.push(...missed);
    return missed;
  }

  describe(): string {
    return describeComposed(this.state);
  }

  /** The servers' view of the most recently started host's runner (`reading`, `stopping`, ...), if any. */
  latestRunnerState(): string | undefined {
    const latest = this.state.runners[this.state.runners.length - 1];
    return latest ? stateName(latest[1]) : undefined;
  }
}
