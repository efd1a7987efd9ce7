import { ANNOTATION_VOCABULARIES, type AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import { translateAnnotation, type RuntimeEvent } from './runtime/runtimeEvents.ts';
import { SystemEventTranslator, type SystemEvent } from './system/systemEvents.ts';

export type { ReportedRunnerState, RuntimeEvent } from './runtime/runtimeEvents.ts';
export type { SystemEvent } from './system/systemEvents.ts';

/**
 * The abstract events the models consume: {@link SystemEvent}s, from the world's observations and the scenario's
 * probes, for the system models; {@link RuntimeEvent}s, from the runtime's annotations, for the models of its internals.
 */
export type ModelEvent = SystemEvent | RuntimeEvent;

export type ModelEventType = ModelEvent['type'];

/** Maps the events of one run, in trace order, to the abstract events the models consume. */
export type ModelEventTranslator = (event: TraceEvent) => ModelEvent | undefined;

/**
 * A translator for one run: observations and probes become system events; annotations of the given vocabularies (all
 * by default) become runtime events; everything else (scheduler steps, annotations of other vocabularies, faults
 * themselves: the models see a fault only through what it causes) is left out.
 */
export function createModelEventTranslator(vocabularies: readonly AnnotationVocabulary[] = ANNOTATION_VOCABULARIES): ModelEventTranslator {
  const system = new SystemEventTranslator();
  const declared = new Set(vocabularies);
  return (event) => (event.annotation ? translateAnnotation(event, declared, system.positions) : system.translate(event));
}
