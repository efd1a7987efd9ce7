import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import type { HermeticGlobals } from '../hermetic/VirtualGlobals.ts';
import type { Scheduler } from '../scheduler/Scheduler.ts';
import type { Trace } from '../trace/Trace.ts';

/** What every simulated component shares: the clock and task queue, the choices, and the record. */
export interface SimContext {
  readonly scheduler: Scheduler;
  readonly choices: ChoiceSource;
  readonly trace: Trace;
  /**
   * The run's process-wide time, randomness and network (sim/hermetic/), installed while the run executes; absent
   * where a test builds a world by hand. A scenario whose runtime runs real library code that sets its own timers
   * calls `sim.hermetic?.setMode('virtualise')` in `setUp`.
   */
  readonly hermetic?: HermeticGlobals;
}
