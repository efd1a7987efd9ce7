import { runAsActor } from '../../sim/actors/actorContext.ts';
import { actorErrorMessage, type ActorError } from '../../sim/hermetic/ActorErrors.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';

/** How a process ended: stopped by the platform after a graceful stop, or killed. */
export type ExitReason = 'graceful' | 'crash';

/**
 * One operating-system process of the simulated world (a runner host incarnation). Code started with {@link run} runs
 * as the process (sim/actors/): its timers are the process's tasks and its global `fetch` is the process's network.
 * When the process dies, its timers and pending I/O go with it: answers addressed to it are dropped and its scheduled
 * tasks are cancelled, also those it tries to schedule afterwards, so the code that was running in it simply never
 * continues, as after a real `kill -9`.
 */
export class SimProcess {
  private living = true;
  private failure: ActorError | undefined;
  private markExited: (reason: ExitReason) => void = () => {};
  /** Settles with the reason once the process has ended, however it ended. */
  readonly exited: Promise<ExitReason> = new Promise((resolve) => (this.markExited = resolve));

  constructor(
    private readonly sim: SimContext,
    /** Unique for the run, e.g. `host#2`; the actor name of everything the process does. */
    readonly name: string,
  ) {}

  get alive(): boolean {
    return this.living;
  }

  /** Runs `body`, and everything it starts, as this process. */
  run<T>(body: () => T): T {
    return runAsActor(this.name, body);
  }

  /** The error the process died of, when its own code killed it (below); undefined for any other end. */
  get diedOf(): ActorError | undefined {
    return this.failure;
  }

  /**
   * Ends the process (a no-op once it ended): its tasks are cancelled and any it schedules later never run. The
   * `process-exit` observation carries the reason and, for a death by {@link fail}, the cause and the error.
   */
  exit(reason: ExitReason): void {
    if (!this.living) return;
    this.living = false;
    this.sim.scheduler.retireActor(this.name);
    const failure = this.failure;
    this.sim.trace.record(this.name, 'process-exit', failure ? { reason, cause: failure.kind, error: actorErrorMessage(failure.error) } : { reason });
    this.markExited(reason);
  }

  /**
   * The process's own code let an error go (an unhandled rejection, a throw from a callback): Node ends the process
   * at once, exit status 1, as abruptly as a kill. The exit records the cause, which is what the platform sees (the
   * status and the error on stderr). An error from a process that is already dead changes nothing.
   */
  fail(error: ActorError): void {
    if (!this.living) return;
    this.failure = error;
    this.exit('crash');
  }
}
