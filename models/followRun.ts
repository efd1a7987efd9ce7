import type { AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import type { ConformanceFailure } from './composedModel.ts';
import type { ModelObserver } from './coverage/ModelCoverage.ts';
import { createModelEventTranslator } from './modelEvents.ts';
import type { ModelMachines } from './modelLayers.ts';
import { SystemModel } from './systemModel.ts';

/** What following a run needs: its trace, switches and faults, and the annotation vocabularies it holds. */
export interface RunToFollow {
  readonly events: readonly TraceEvent[];
  readonly config: Readonly<Record<string, string>>;
  readonly faults: readonly FaultKind[];
  /**
   * The vocabularies of the runtime's internals the run holds (what its runtime declares, none when the run dropped its
   * annotations): their models join the system models. Absent: none.
   */
  readonly annotations?: readonly AnnotationVocabulary[];
}

/** Options of {@link followRun}. */
export interface FollowOptions {
  /** Sees every transition taken, for coverage. */
  readonly observer?: ModelObserver;
  /** Machines to use instead of the project's own. */
  readonly machines?: Partial<ModelMachines>;
  /** Step the machines through XState without the transition memo: the reference the memoised model is tested against. */
  readonly interpreted?: boolean;
}

/** Where following a run stopped: at the first event the model refused, if any. */
export interface FollowedRun {
  readonly model: SystemModel;
  readonly refused: { readonly failure: ConformanceFailure; readonly eventIndex: number } | undefined;
}

/**
 * Follows a run with the composed model: translates each trace event (in order) into the abstract event the models
 * consume and applies it, up to the first one the model refuses. Violation states the model enters are findings tagged
 * with the index of the trace event. The end-of-run judgement is the caller's ({@link SystemModel.finish}).
 */
export function followRun(run: RunToFollow, options: FollowOptions = {}): FollowedRun {
  const annotations = run.annotations ?? [];
  const model = new SystemModel(run.config, run.faults, options.observer, { annotations, ...(options.machines ? { machines: options.machines } : {}), ...(options.interpreted ? { interpreted: true } : {}) });
  const toModelEvent = createModelEventTranslator(annotations);
  for (let eventIndex = 0; eventIndex < run.events.length; eventIndex += 1) {
    const modelEvent = toModelEvent(run.events[eventIndex]!);
    if (!modelEvent) continue;
    const failure = model.apply(modelEvent, eventIndex);
    if (failure) return { model, refused: { failure, eventIndex } };
  }
  return { model, refused: undefined };
}
