import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { World } from '../World.ts';
import type { SimProcess } from './SimProcess.ts';

/** The part of a runtime host the supervisor drives. */
export interface SupervisedHost {
  start(): Promise<void>;
  /** Graceful stop; resolves when the host is ready for its process to end. */
  stop(): Promise<void>;
  /** Work in flight, for hang reports. */
  inFlight(): ReadonlyArray<{ readonly kind: string; readonly label: string; readonly sinceMs: number }>;
}

/** Builds a fresh host inside a fresh process: a cold start with nothing in memory. */
export type HostFactory = (process: SimProcess) => SupervisedHost;

const SUPERVISOR_ACTOR = 'supervisor';

/**
 * Plays the deployment platform: starts host processes one after another and carries out redeploys (graceful stop,
 * process end, a new process after a delay) and crashes (the process dies at once, a new one follows).
 */
export class HostSupervisor {
  private current: { readonly process: SimProcess; readonly host: SupervisedHost } | undefined;
  private incarnation = 0;
  private redeploying = false;

  constructor(
    private readonly world: World,
    private readonly makeHost: HostFactory,
  ) {}

  startHost(): void {
    this.incarnation += 1;
    const process = this.world.newProcess(`host#${this.incarnation}`);
    const host = this.makeHost(process);
    this.current = { process, host };
    void host.start();
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
    await current.host.stop();
    current.process.exit('graceful');
    await this.restartAfterDelay();
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
    this.redeploying = false;
    await this.restartAfterDelay();
  }

  /** In-flight work of the live host, if any. */
  pendingWork(): ReadonlyArray<{ readonly actor: string; readonly kind: string; readonly label: string; readonly sinceMs: number }> {
    const current = this.current;
    if (!current || !current.process.alive) return [];
    return current.host.inFlight().map((work) => ({ actor: current.process.name, ...work }));
  }

  private async restartAfterDelay(): Promise<void> {
    const { hostRestartDelayMinMs, hostRestartDelayMaxMs } = this.world.options.faultOptions;
    const delayMs = chooseInRange(this.world.sim.choices, hostRestartDelayMinMs, hostRestartDelayMaxMs, 'host restart delay');
    await new Promise<void>((resolve) => this.world.sim.scheduler.schedule(delayMs, SUPERVISOR_ACTOR, 'start new host', resolve));
    this.startHost();
  }
}
