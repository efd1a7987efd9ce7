import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { Trace } from '../trace/Trace.ts';

/** What every simulated component shares: the clock and task queue, the choices, and the record. */
export interface SimContext {
  readonly scheduler: Scheduler;
  readonly choices: ChoiceSource;
  readonly trace: Trace;
}
