import type { AnyMachineSnapshot } from 'xstate';
import { ComposedModel, stateName, type ComposedState } from '../../models/composedModel.ts';
import { createModelEventTranslator } from '../../models/modelEvents.ts';
import type { AnnotationVocabulary } from '../../protocol/host/AnnotationVocabulary.ts';
import { registeredRuntimes } from '../../scenarios/registry/runtimes.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';

/** One machine instance's state: `runner host#1` (the servers' view), `wakeStream`, `digestEntity`, `runner host#1 lifecycle`, `wiringChain`. */
export interface MachineStateView {
  readonly machine: string;
  readonly state: string;
  /** The violation tags of the state (`duplicate-action`, ...): non-empty in a violation state. */
  readonly violations: readonly string[];
}

/** The composed model's state after one event, one entry per machine (a runner per host process). */
export interface ModelStateView {
  readonly machines: readonly MachineStateView[];
  /** The abstract event the models took for this trace event, if any. */
  readonly modelEvent: string | null;
  /** Set from the first event the model refused on: which machine, in which state, could not take what. */
  readonly failure: string | null;
}

/**
 * The annotation vocabularies a recorded run holds, as model conformance sees them: those its runtime (named by the
 * `run-start` event) declares, none when the run has no annotation at all (dropped) or the runtime is not registered.
 */
export function annotationsOfRun(events: readonly TraceEvent[]): readonly AnnotationVocabulary[] {
  if (!events.some((event) => event.annotation)) return [];
  const runtime = events.find((event) => event.kind === 'run-start')?.detail['runtime'];
  return registeredRuntimes().find((candidate) => candidate.name === runtime)?.annotations ?? [];
}

/**
 * Follows a run with the composed model (models/composedModel.ts), the way model conformance does — the system models,
 * and the models of the runtime's internals for the vocabularies the run holds — and returns the state of every
 * machine after each event. After an event the model refuses, the states stay where they were and every later entry
 * carries the failure.
 */
export function modelStatesAlong(
  events: readonly TraceEvent[],
  config: Readonly<Record<string, string>>,
  faults: readonly FaultKind[],
  annotations: readonly AnnotationVocabulary[] = annotationsOfRun(events),
): ModelStateView[] {
  const model = new ComposedModel(config, faults, { annotations });
  const toModelEvent = createModelEventTranslator(annotations);
  let state: ComposedState = model.initial();
  let failure: string | null = null;
  return events.map((event) => {
    const modelEvent = toModelEvent(event);
    if (modelEvent && failure === null) {
      const result = model.step(state, modelEvent);
      if (result.failure) {
        failure = `${result.failure.machine} in state ${result.failure.machineState} cannot take ${modelEvent.type}`;
      } else {
        state = result.state;
      }
    }
    return { machines: machineStates(state), modelEvent: modelEvent ? modelEvent.type : null, failure };
  });
}

/**
 * Every machine instance's state, in a fixed order: the system layer (the servers' view of each host's runner, the
 * wake stream, the entity), then the runtime layer (each host's runner lifecycle, the wiring chains of the wakes).
 */
export function machineStates(state: ComposedState): MachineStateView[] {
  const view = (machine: string, snapshots: readonly AnyMachineSnapshot[], text: string): MachineStateView => ({
    machine,
    state: text,
    violations: [...new Set(snapshots.flatMap((snapshot) => [...(snapshot.tags as Set<string>)].filter((tag) => tag !== 'violation')))].sort(),
  });
  const wakeLabel = (wakeId: string): string => wakeId.replace(/^sub:/, '');
  const chains = [
    ...(state.active ? [{ snapshot: state.active.snapshot, text: `${stateName(state.active.snapshot)} (${wakeLabel(state.active.wakeId)})` }] : []),
    ...state.closing.map((slot) => ({ snapshot: slot.snapshot, text: `${stateName(slot.snapshot)} (${wakeLabel(slot.wakeId)}, closing)` })),
  ];
  const runtimeLayer = state.lifecycles.length > 0 || chains.length > 0;
  return [
    ...state.runners.map(([process, snapshot]) => view(`runner ${process}`, [snapshot], stateName(snapshot))),
    view('wakeStream', [state.wakeStream], stateName(state.wakeStream)),
    view('digestEntity', [state.entity], stateName(state.entity)),
    ...state.lifecycles.map(([process, snapshot]) => view(`runner ${process} lifecycle`, [snapshot], stateName(snapshot))),
    ...(runtimeLayer ? [view('wiringChain', chains.map((chain) => chain.snapshot), chains.length > 0 ? chains.map((chain) => chain.text).join('; ') : 'no wake')] : []),
  ];
}
