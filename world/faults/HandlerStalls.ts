import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { SimProcess } from '../process/SimProcess.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { FaultDecision } from './PreloadFaults.ts';

/**
 * Slow handlers (`slow-handler`), as a delay of the handler's process rather than a change to any entity's code: where
 * a scenario calls {@link stall} (once its handler has read its state, say), the process may stall for a drawn time,
 * up to longer than a claim lease, as a handler does that waits on a slow model or API. The stall is a task of the
 * process: a process that dies never resumes. A stall given a signal (the entity passes its wake's signal to its slow
 * call) ends when it aborts, rejecting with the signal's reason, as a `fetch` given one does; how long the stall was
 * drawn for does not change.
 */
export class HandlerStalls {
  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultOptions,
    private readonly fires: FaultDecision,
  ) {}

  /**
   * Resolves at once, or after the stall drawn for `process` (`label` says where, for the trace); with `signal`, rejects
   * when it aborts first (recorded as `slow-handler-aborted`).
   */
  stall(process: SimProcess, label: string, signal?: AbortSignal): Promise<void> {
    if (!this.fires('slow-handler', this.options.slowHandlerPercent, 'slow handler')) return Promise.resolve();
    const { slowHandlerMinMs, slowHandlerMaxMs } = this.options;
    const stallMs = chooseInRange(this.sim.choices, slowHandlerMinMs, slowHandlerMaxMs, 'handler stall', { kind: 'range', fault: 'slow-handler' });
    this.sim.trace.record('faults', 'fault', { kind: 'slow-handler', host: process.name, where: label, stallMs });
    if (!signal) return new Promise<void>((resolve) => this.sim.scheduler.schedule(stallMs, process.name, `slow handler ${label}`, resolve));
    const startedAtMs = this.sim.scheduler.nowMs;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.sim.scheduler.cancel(task);
        this.sim.trace.record('faults', 'slow-handler-aborted', { host: process.name, where: label, afterMs: this.sim.scheduler.nowMs - startedAtMs, stallMs });
        reject(signal.reason);
      };
      const task = this.sim.scheduler.schedule(stallMs, process.name, `slow handler ${label}`, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
