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

/**
 * One host slot of a world with several (several runners, one host process per runner at a time but for a rolling
 * deploy's overlap): its processes are named `<runner>/host#<n>` and their `process-start` names the runner.
 */
export interface HostSlot {
  /** The runner id the slot's processes are deployed as (`runner-2`). */
  readonly runner?: string;
}

interface Incarnation {
  readonly process: SimProcess;
  readonly host: LaunchedHost;
  readonly sigterm: AbortController;
  /** A deploy is replacing it: it gets SIGTERM (or already did), and a successor is, or will be, started for it. */
  replaced: boolean;
}

/**
 * Plays the deployment platform for one host slot: starts host processes and carries out
 * - redeploys: SIGTERM, wait for the graceful stop at most the grace period, end the process, a new one after a delay;
 * - rolling deploys: a new process after a delay, both run for a drawn overlap, then the old one is stopped as above;
 * - crashes: a process dies at once; unless a deploy is already replacing it, a successor follows after a delay. The
 *   same when a process dies of an error its own code never handled (SimProcess.fail).
 * One deploy at a time: a deploy asked for during another is skipped (`fault-skipped`). It knows nothing of what runs
 * in the processes.
 */
export class HostSupervisor {
  /** Every process started, in start order. */
  private readonly incarnations: Incarnation[] = [];
  private deploying = false;

  constructor(
    private readonly world: World,
    private readonly launch: HostLauncher,
    /** Which host slot this is, in a world with several (absent, the one slot of a world as it always was). */
    private readonly slot: HostSlot = {},
  ) {}

  /** Whether `processName` is one of this slot's processes (alive or not). */
  owns(processName: string): boolean {
    return this.incarnations.some((incarnation) => incarnation.process.name === processName);
  }

  /** The newest live host process, if any. */
  get liveProcess(): SimProcess | undefined {
    return this.liveProcesses.at(-1);
  }

  /** Every live host process, oldest first: two while a rolling deploy overlaps them. */
  get liveProcesses(): SimProcess[] {
    return this.incarnations.filter((incarnation) => incarnation.process.alive).map((incarnation) => incarnation.process);
  }

  startHost(): void {
    const name = `host#${this.incarnations.length + 1}`;
    const { runner } = this.slot;
    const process = runner === undefined ? this.world.newProcess(name) : this.world.newProcess(`${runner}/${name}`, { runner });
    const sigterm = new AbortController();
    const host = process.run(() => this.launch(process, sigterm.signal));
    // `stopped` is the runtime's main settling. A Node program whose async main rejects with nobody to catch it ends
    // with an unhandled rejection, exit status 1: the process dies of it, before a stop was asked for or during one.
    host.stopped.catch((error: unknown) => process.fail({ actor: process.name, kind: 'unhandled-rejection', error }));
    const incarnation: Incarnation = { process, host, sigterm, replaced: false };
    this.incarnations.push(incarnation);
    // The platform restarts a process that died by itself as it does a killed one.
    void process.exited.then(() => (process.diedOf && !incarnation.replaced ? this.startAfterDelay() : undefined));
  }

  async redeploy(): Promise<void> {
    const old = this.beginDeploy('redeploy');
    if (!old) return;
    await this.stopGracefully(old);
    await this.startAfterDelay();
    this.deploying = false;
  }

  /** The new process starts before the old one is stopped: for a while two runners of the same id run side by side. */
  async rollingDeploy(): Promise<void> {
    const old = this.beginDeploy('rolling-deploy');
    if (!old) return;
    await this.startAfterDelay();
    const { deployOverlapMinMs, deployOverlapMaxMs } = this.world.options.faultOptions;
    const overlapMs = chooseInRange(this.world.sim.choices, deployOverlapMinMs, deployOverlapMaxMs, 'deploy overlap', { kind: 'range', fault: 'rolling-deploy' });
    this.world.sim.trace.record(SUPERVISOR_ACTOR, 'deploy-overlap', { old: old.process.name, overlapMs });
    await this.sleep(overlapMs, `overlap before stopping ${old.process.name}`);
    await this.stopGracefully(old);
    this.deploying = false;
  }

  /** Kills `processName` if it is alive, else the newest live process. */
  async crash(processName?: string): Promise<void> {
    const live = this.incarnations.filter((incarnation) => incarnation.process.alive);
    const victim = live.find((incarnation) => incarnation.process.name === processName) ?? live.at(-1);
    if (!victim) {
      this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault-skipped', { kind: 'crash', reason: 'no running host', ...this.runnerDetail() });
      return;
    }
    this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault', { kind: 'crash', host: victim.process.name });
    victim.process.exit('crash');
    // A process a deploy is replacing already has its successor (or will have it): the platform starts no other.
    if (!victim.replaced) await this.startAfterDelay();
  }

  /** The process a deploy replaces (the newest live one), or undefined when the deploy is skipped. */
  private beginDeploy(kind: 'redeploy' | 'rolling-deploy'): Incarnation | undefined {
    const old = this.incarnations.filter((incarnation) => incarnation.process.alive && !incarnation.replaced).at(-1);
    if (!old || this.deploying) {
      const reason = this.deploying ? 'a deploy is in progress' : 'no running host';
      this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault-skipped', { kind, reason, ...this.runnerDetail() });
      return undefined;
    }
    this.deploying = true;
    old.replaced = true;
    this.world.sim.trace.record(SUPERVISOR_ACTOR, 'fault', { kind, host: old.process.name });
    return old;
  }

  /**
   * SIGTERM, then the end of the process once its stop settled or the grace period ran out, whichever is first; a
   * process that dies meanwhile (a crash during the drain) ends the wait at once.
   */
  private async stopGracefully(incarnation: Incarnation): Promise<void> {
    const { process, host, sigterm } = incarnation;
    if (!process.alive) return;
    this.world.sim.trace.record(process.name, 'sigterm', {});
    // Abort listeners are the host's code: they run as its process.
    // A reason of its own for every stop, though a `DOMException` costs a stack trace: one shared by every run of the
    // process would carry whatever a runtime we did not write put on it from one run into the next.
    process.run(() => sigterm.abort());
    const graceMs = this.world.options.faultOptions.stopGracePeriodMs;
    let outcome = 'stopped' as 'stopped' | 'died' | 'grace period over';
    let cancelGrace = (): void => {};
    await Promise.race([
      host.stopped.then(
        () => {},
        () => {},
      ),
      process.exited.then(() => void (outcome = 'died')),
      new Promise<void>((resolve) => {
        const handle = this.world.sim.scheduler.schedule(graceMs, SUPERVISOR_ACTOR, `stop grace period of ${process.name}`, () => {
          outcome = 'grace period over';
          resolve();
        });
        cancelGrace = () => this.world.sim.scheduler.cancel(handle);
      }),
    ]);
    cancelGrace();
    if (outcome === 'grace period over') this.world.sim.trace.record(SUPERVISOR_ACTOR, 'stop-timed-out', { host: process.name, graceMs });
    process.exit(outcome === 'grace period over' ? 'crash' : 'graceful');
  }

  /** The runner a skipped fault was for, named only in a world of several slots (a one-slot trace stays as it was). */
  private runnerDetail(): { runner?: string } {
    return this.slot.runner === undefined ? {} : { runner: this.slot.runner };
  }

  private async startAfterDelay(): Promise<void> {
    const { hostRestartDelayMinMs, hostRestartDelayMaxMs } = this.world.options.faultOptions;
    const delayMs = chooseInRange(this.world.sim.choices, hostRestartDelayMinMs, hostRestartDelayMaxMs, 'host restart delay');
    await this.sleep(delayMs, 'start new host');
    this.startHost();
  }

  private sleep(delayMs: number, label: string): Promise<void> {
    return new Promise<void>((resolve) => this.world.sim.scheduler.schedule(delayMs, SUPERVISOR_ACTOR, label, resolve));
  }
}
