import { followRun } from '../models/followRun.ts';
import { RUNTIME_MACHINES, type MachineName, type ModelMachines } from '../models/modelLayers.ts';
import type { ModelFinding } from '../models/systemModel.ts';
import { getProperty, propertyNames, type PropertyDefinition } from './registry.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * The properties the models judge too, each by the machine whose violation state (or, for `missed-action`, whose
 * end-of-run obligation) stands for it. Where that machine takes part in a run and the property is registered, the
 * model's findings and the oracle's must correspond one to one: the same trace events (the second post of an action,
 * the read that served a replay, the probe of an unwired handle), or as many at the end of the run.
 */
export const JUDGED_BY_MODEL: Readonly<Record<string, MachineName>> = {
  'duplicate-action': 'digestEntity',
  'missed-action': 'digestEntity',
  'wake-replay': 'wakeStream',
  'unwired-resolve': 'wiringChain',
};

/** Looks up the oracle of a property (the registered one by default), or undefined when none is registered. */
export type OracleLookup = (property: string) => PropertyDefinition['judge'] | undefined;

/** Variations of model conformance, for tests that plant a disagreement. */
export interface ModelConformanceOptions {
  /** The oracles to compare with (the registered properties by default). */
  readonly oracle?: OracleLookup;
  /** Machines to use instead of the project's own. */
  readonly machines?: Partial<ModelMachines>;
}

const registeredOracle: OracleLookup = (property) => (propertyNames().includes(property) ? getProperty(property).judge : undefined);

/** `end` for what only the end of a run shows, else the index of the trace event. */
const place = (at: number | undefined): string => (at === undefined ? 'end' : String(at));

/**
 * Model conformance: feeds the run's abstract events to the composed model — the system models always, the models of
 * the runtime's internals for the annotation vocabularies the run has (`RunHistory.annotations`). Fails at the first
 * event the model does not accept in its current state, naming the step, the model's state and the event; and at the
 * end when a property both judge has a model finding without an oracle finding at the same place, or the other way
 * round. The oracles are computed by their own code from the same history, never from the model.
 */
export function createModelConformance(options: ModelConformanceOptions = {}): PropertyDefinition['judge'] {
  const oracleOf = options.oracle ?? registeredOracle;
  return (history) => {
    const annotations = history.annotations ?? [];
    const { model, refused } = options.machines ? followRun(history, { machines: options.machines }) : (history.followedModel ?? followRun(history));
    if (refused) {
      const { failure, eventIndex } = refused;
      const event = history.events[eventIndex]!;
      return [
        {
          property: 'model-conformance',
          message:
            `${failure.machine} in state ${failure.machineState} cannot take ${failure.event.type} ` +
            `(${event.annotation ? 'annotation' : 'observed'}: ${event.actor} ${event.kind} ${JSON.stringify(event.detail)}); model: ${failure.modelState}`,
          step: event.step,
          atMs: event.atMs,
          eventIndex,
        },
      ];
    }
    model.finish();
    return disagreements(history, model.findings, oracleOf, model.describe(), new Set(annotations));
  };
}

function disagreements(history: RunHistory, findings: readonly ModelFinding[], oracleOf: OracleLookup, modelState: string, annotations: ReadonlySet<string>): Violation[] {
  const differences: Array<{ readonly text: string; readonly at: number | undefined }> = [];
  for (const [property, machine] of Object.entries(JUDGED_BY_MODEL)) {
    const vocabulary = RUNTIME_MACHINES[machine];
    if (vocabulary !== undefined && !annotations.has(vocabulary)) continue;
    const oracle = oracleOf(property);
    if (!oracle) continue;
    const byModel = findings.filter((finding) => finding.property === property).map((finding) => finding.at);
    const byOracle = oracleFindingsInModelScope(property, history, oracle).map((violation) => violation.eventIndex);
    const unmatched = (mine: ReadonlyArray<number | undefined>, theirs: ReadonlyArray<number | undefined>): Array<number | undefined> => {
      const left = [...theirs];
      return mine.filter((at) => {
        const index = left.indexOf(at);
        if (index < 0) return true;
        left.splice(index, 1);
        return false;
      });
    };
    for (const at of unmatched(byModel, byOracle)) differences.push({ text: `${property}: the model (${machine}) found one at ${place(at)}, the oracle did not`, at });
    for (const at of unmatched(byOracle, byModel)) differences.push({ text: `${property}: the oracle found one at ${place(at)}, the model (${machine}) did not`, at });
  }
  if (differences.length === 0) return [];
  const first = differences.map((difference) => difference.at).filter((at): at is number => at !== undefined).sort((a, b) => a - b)[0];
  const event = first === undefined ? undefined : history.events[first];
  return [
    {
      property: 'model-conformance',
      message: `model and oracles disagree (${differences.map((difference) => difference.text).join('; ')}); model: ${modelState}`,
      step: event?.step ?? history.steps,
      atMs: event?.atMs ?? history.endMs,
      ...(first === undefined ? {} : { eventIndex: first }),
    },
  ];
}

/**
 * The actions the entity model owns: its digests. Replies to inbox messages (and any action a scenario adds) are
 * obligations the oracles judge alone, so the comparison leaves them out on the oracle's side.
 */
const MODELLED_ACTION = /^digest:\d+$/;

/** An oracle's findings of `property`, restricted to what the model that judges it too can see. */
function oracleFindingsInModelScope(property: string, history: RunHistory, oracle: PropertyDefinition['judge']): Violation[] {
  if (property === 'missed-action') {
    return oracle({ ...history, expectedActions: history.expectedActions.filter((action) => MODELLED_ACTION.test(action.action)) }, new Set());
  }
  const found = oracle(history, new Set());
  if (property !== 'duplicate-action') return found;
  return found.filter((violation) => violation.eventIndex === undefined || MODELLED_ACTION.test(String(history.events[violation.eventIndex]?.detail['action'])));
}

/** Model conformance with the project's machines and the registered oracles. */
export const modelConformance: PropertyDefinition['judge'] = createModelConformance();
