import type { SimContext } from '../../sim/run/SimContext.ts';

/**
 * One operating-system process of the simulated world (a runner host incarnation). When it dies, its timers and
 * pending I/O go with it: responses addressed to it are dropped and its scheduled tasks are cancelled, so the code
 * that was running in it simply never continues, as after a real `kill -9`.
 */
export class SimProcess {
  private living = true;

  constructor(
    private readonly sim: SimContext,
    /** Unique for the run, e.g. `host#2`; the actor name of everything the process does. */
    readonly name: string,
  ) {}

  get alive(): boolean {
    return this.living;
  }

  /** Resolves after `delayMs` of virtual time, unless the process dies first (then it never resolves). */
  sleep(delayMs: number, label: string): Promise<void> {
    return new Promise((resolve) => {
      this.sim.scheduler.schedule(delayMs, this.name, label, resolve);
    });
  }

  /** Virtual time in milliseconds. */
  nowMs(): number {
    return this.sim.scheduler.nowMs;
  }

  exit(reason: 'graceful' | 'crash'): void {
    if (!this.living) return;
    this.living = false;
    this.sim.scheduler.cancelActor(this.name);
    this.sim.trace.record(this.name, 'process-exit', { reason });
  }
}
