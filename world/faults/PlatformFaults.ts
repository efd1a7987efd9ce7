import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { HostSupervisor } from '../process/HostSupervisor.ts';
import type { World } from '../World.ts';

/** The faults of the platform around the runtime: they happen at a moment, not at a request. */
export const PLATFORM_FAULT_KINDS = ['redeploy', 'crash', 'server-restart', 'rolling-deploy', 'ds-restart', 'network-outage'] as const;
export type PlatformFaultKind = (typeof PLATFORM_FAULT_KINDS)[number];

/** True when `kind` names a platform fault. */
export function isPlatformFault(kind: string): kind is PlatformFaultKind {
  return (PLATFORM_FAULT_KINDS as readonly string[]).includes(kind);
}

/**
 * Carries out platform faults, whether they come from the run's timed plan or from a fault point: deploys and crashes
 * through the {@link HostSupervisor} of a host slot, restarts of the agents server and of Durable Streams for a
 * downtime drawn here, and the host's network outages for a span drawn here (a choice whose shortest value is the
 * ordinary one).
 *
 * In a world of several host slots (several runners, each its own supervisor) a deploy or a crash strikes one slot:
 * the slot of the process the fault's moment concerns, or, when no process is named (a timed fault, a lease about to
 * expire) or it is none of theirs, a slot drawn here (`runner slot`, a count: the first slot first). A world of one
 * slot draws nothing more, so its runs keep their choices.
 */
export class PlatformFaults {
  private readonly slots: readonly HostSupervisor[];

  constructor(
    private readonly world: World,
    /** The one host slot's supervisor, or one per slot (several runners). */
    supervisors: HostSupervisor | readonly HostSupervisor[],
  ) {
    this.slots = Array.isArray(supervisors) ? supervisors : [supervisors as HostSupervisor];
    if (this.slots.length === 0) throw new Error('PlatformFaults needs at least one host slot');
  }

  /** Strikes now. `process` names the host a crash kills (the newest live one of its slot when absent or dead). */
  strike(kind: PlatformFaultKind, process?: string): void {
    const { sim, options } = this.world;
    const faults = options.faultOptions;
    switch (kind) {
      case 'redeploy':
        void this.slotFor(kind, process).redeploy();
        return;
      case 'rolling-deploy':
        void this.slotFor(kind, process).rollingDeploy();
        return;
      case 'crash':
        void this.slotFor(kind, process).crash(process);
        return;
      case 'server-restart': {
        const downtimeMs = chooseInRange(sim.choices, faults.serverDowntimeMinMs, faults.serverDowntimeMaxMs, 'server downtime', { kind: 'range', fault: kind });
        sim.trace.record('faults', 'fault', { kind, downtimeMs });
        this.world.agentsServer.restart(downtimeMs);
        return;
      }
      case 'ds-restart': {
        const downtimeMs = chooseInRange(sim.choices, faults.streamsDowntimeMinMs, faults.streamsDowntimeMaxMs, 'streams downtime', { kind: 'range', fault: kind });
        sim.trace.record('faults', 'fault', { kind, downtimeMs });
        this.world.streamsFront.restart(downtimeMs);
        return;
      }
      case 'network-outage': {
        const spanMs = chooseInRange(sim.choices, faults.networkOutageMinMs, faults.networkOutageMaxMs, 'network outage span', { kind: 'range', fault: kind });
        sim.trace.record('faults', 'fault', { kind, spanMs });
        this.world.networkOutage.start(spanMs);
        return;
      }
    }
  }

  /**
   * The slot a deploy or crash strikes: the only one; else the one `process` belongs to; else one drawn (only in a
   * world of several slots, so a one-slot run draws nothing here).
   */
  private slotFor(kind: PlatformFaultKind, process: string | undefined): HostSupervisor {
    if (this.slots.length === 1) return this.slots[0]!;
    const owner = process === undefined ? undefined : this.slots.find((slot) => slot.owns(process));
    if (owner) return owner;
    return this.slots[this.world.sim.choices.choose(this.slots.length, 'runner slot', { kind: 'count', fault: kind })]!;
  }
}
