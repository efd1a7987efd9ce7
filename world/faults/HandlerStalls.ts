import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { SimProcess } from '../process/SimProcess.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { FaultDecision } from './PreloadFaults.ts';

/**
 * Slow handlers (`slow-handler`), as a delay of the handler's process rather than a change to any entity's code: where
 * a scenario calls {@link stall} (once its handler has read its state, say), the process may stall for a drawn time,
 * up to longer than a claim lease, as a handler does that waits on a slow model or API. The stall is a task of the
 * process: a process that dies never resumes.
 */
export class HandlerStalls {
  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultOptions,
    private readonly fires: FaultDecision,
  ) {}

  /** Resolves at once, or after the stall drawn for `process` (`label` says where, for the trace). */
  stall(process: SimProcess, label: string): Promise<void> {
    if (!this.fires('slow-handler', this.options.slowHandlerPercent, 'slow handler')) return Promise.resolve();
    const { slowHandlerMinMs, slowHandlerMaxMs } = this.options;
    const stallMs = chooseInRange(this.sim.choices, slowHandlerMinMs, slowHandlerMaxMs, 'handler stall', { kind: 'range', fault: 'slow-handler' });
    this.sim.trace.record('faults', 'fault', { kind: 'slow-handler', host: process.name, where: label, stallMs });
    return new Promise<void>((resolve) => this.sim.scheduler.schedule(stallMs, process.name, `slow handler ${label}`, resolve));
  }
}
