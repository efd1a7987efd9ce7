import type { TraceEvent } from '../sim/trace/Trace.ts';

/**
 * The wake a model event names, when the trace event it comes from said which (`wakeId` in its detail). The key is
 * absent otherwise, not undefined: the composed model routes an event by `'wakeId' in event`, and an event that names
 * no wake goes to the wake doing work or, failing that, to one lingering after its lease.
 */
export type NamedWake = { readonly wakeId?: string };

/** `{ wakeId }` when `detail` names its wake, else an empty object to spread. */
export function namedWake(detail: TraceEvent['detail']): NamedWake {
  return detail['wakeId'] === undefined ? {} : { wakeId: String(detail['wakeId']) };
}
