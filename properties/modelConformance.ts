import { createModelEventTranslator } from '../models/modelEvents.ts';
import { SystemModel } from '../models/systemModel.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** Properties that both an oracle and the model judge; the two must agree on every run. */
const JUDGED_BY_BOTH: readonly string[] = ['duplicate-action', 'unwired-resolve', 'wake-replay'];

/**
 * Feeds the run's abstract events to the composed model (models/systemModel.ts). Fails at the first event the model
 * does not accept in its current state, naming the step, the model's state and the runtime event; and at the end when
 * the model and the oracles disagree on which violations the run contains.
 */
export function modelConformance(history: RunHistory, oracleViolations: ReadonlySet<string>): Violation[] {
  const model = new SystemModel(history.config, history.faults);
  const toModelEvent = createModelEventTranslator();
  for (let eventIndex = 0; eventIndex < history.events.length; eventIndex += 1) {
    const event = history.events[eventIndex]!;
    const modelEvent = toModelEvent(event);
    if (!modelEvent) continue;
    const failure = model.apply(modelEvent);
    if (!failure) continue;
    return [
      {
        property: 'model-conformance',
        message:
          `${failure.machine} in state ${failure.machineState} cannot take ${modelEvent.type} ` +
          `(runtime: ${event.actor} ${event.kind} ${JSON.stringify(event.detail)}); model: ${failure.modelState}`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      },
    ];
  }
  const disagreements = JUDGED_BY_BOTH.filter((name) => model.violations.has(name) !== oracleViolations.has(name));
  if (disagreements.length === 0) return [];
  const describe = (name: string): string => `${name}: oracle ${oracleViolations.has(name) ? 'yes' : 'no'}, model ${model.violations.has(name) ? 'yes' : 'no'}`;
  return [
    {
      property: 'model-conformance',
      message: `model and oracles disagree (${disagreements.map(describe).join('; ')}); model: ${model.describe()}`,
      step: history.steps,
      atMs: history.endMs,
    },
  ];
}
