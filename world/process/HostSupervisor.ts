import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { World } from '../World.ts';
import type { SimProcess } from './SimProcess.ts';

/** A started host process as the platform sees it: it settles `stopped` once a graceful stop it asked for is done. */
export interface LaunchedHost {
  readonly stopped: Promise<void>;
}

/**
 * Starts the code of a host inside a fresh process (called as that process): a cold start with nothing in memory.
 * `sigterm` aborts when the platform asks the process to stop gracefully.
 */
export type HostLauncher = (process: SimProcess, sigterm: AbortSignal) => LaunchedHost;

const SUPERVISOR_ACTOR = 'supervisor';

interface Incarnation {
  readonly process: SimProcess;
  readonly host: LaunchedHost;
  readonly sigterm: AbortController;
}

/**
 * Plays the deployment platform: starts host processes one after another and carries out redeploys (SIGTERM, wait for
 * the graceful stop at most the grace period, end the process, a new process after a delay) and crashes (the process
 * dies at once, a new one follows). It knows nothing of what runs in the processes.
 */
export class HostSupervisor {
  private current: Incarnation | undefined;
  private incarnation = 0;
  private redeploying = false;
  private restartPending = false;

  constructor(
    private readonly world: World,
    private readonly launch: HostLauncher,
  ) {}

  /** The live host process, if any. */
  get liveProcess(): SimProcess | undefined {
    return this.current?.process.alive ? this.current.process : undefined;
  }

  startHost(): void {
    this.incarnation += 1;
    const process = this.world.newProcess(`host#${this.incarnation}`);
    const sigterm = new AbortController();
    const host = process.run(() => this.launch(process, sigterm.signal));
    // A stop that fails is the host's business; the platform only waits for it.
    host.stopped.catch(() => {});
    this.current = { process, host, sigterm };
  }

  async redeploy(): Promise<void> {
    const current = this.current;
    if (!current || !current.process.alive || this.redeploying) {
      const reason = this.redeploying ? 'a redeploy is in progress' : 'no running host';
      this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault-skipped', { kind: 'redeploy', reason });
      return;
    }
    this.redeploying = true;
    this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault', { kind: 'redeploy', host: current.process.name });
    await this.stopGracefully(current);
    // A crash while the stop was under way already put a new host in place: the platform runs one host, not two.
    if (this.current === current) await this.restartAfterDelay();
    this.redeploying = false;
  }

  async crash(): Promise<void> {
    const current = this.current;
    if (!current || !current.process.alive) {
      this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault-skipped', { kind: 'crash', reason: 'no running host' });
      return;
    }
    this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault', { kind: 'crash', host: current.process.name });
    current.process.exit('crash');
    await this.restartAfterDelay();
  }

  /** SIGTERM, then the end of the process once its stop settled or the grace period ran out, whichever is first. */
  private async stopGracefully(incarnation: Incarnation): Promise<void> {
    const { process, host, sigterm } = incarnation;
    this.world.sim.trace.record(process.name, 'sigterm', {});
    // Abort listeners are the host's code: they run as its process.
    process.run(() => sigterm.abort());
    const graceMs = this.world.options.faultOptions.stopGracePeriodMs;
    let outcome: 'stopped' | 'grace period over' = 'stopped';
    await Promise.race([
      host.stopped.then(
        () => {},
        () => {},
      ),
      new Promise<void>((resolve) =>
        this.world.sim.scheduler.schedule(graceMs, SUPERVISOR_ACTOR, `stop grace period of ${process.name}`, () => {
          outcome = 'grace period over';
          resolve();
        }),
      ),
    ]);
    if (outcome !== 'stopped') this.world.sim.trace.record(SUPERVISOR_ACTOR, 'stop-timed-out', { host: process.name, graceMs });
    process.exit(outcome === 'stopped' ? 'graceful' : 'crash');
  }

  /** One restart at a time: a crash and a redeploy ending together replace the host once. */
  private async restartAfterDelay(): Promise<void> {
    if (this.restartPending) return;
    this.restartPending = true;
    const { hostRestartDelayMinMs, hostRestartDelayMaxMs } = this.world.options.faultOptions;
    const delayMs = chooseInRange(this.world.sim.choices, hostRestartDelayMinMs, hostRestartDelayMaxMs, 'host restart delay');
    await new Promise<void>((resolve) => this.world.sim.scheduler.schedule(delayMs, SUPERVISOR_ACTOR, 'start new host', resolve));
    this.restartPending = false;
    this.startHost();
  }
}
