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
 * Carries out platform faults in a world with one host slot, whether they come from the run's timed plan or from a
 * fault point: deploys and crashes through the {@link HostSupervisor}, restarts of the agents server and of Durable
 * Streams for a downtime drawn here, and the host's network outages for a span drawn here (a choice whose shortest
 * value is the ordinary one).
 */
export class PlatformFaults {
  constructor(
    private readonly world: World,
    private readonly supervisor: HostSupervisor,
  ) {}

  /** Strikes now. `process` names the host a crash kills (the newest live one when absent or dead). */
  strike(kind: PlatformFaultKind, process?: string): void {
    const { sim, options } = this.world;
    const faults = options.faultOptions;
    switch (kind) {
      case 'redeploy':
        void this.supervisor.redeploy();
        return;
      case 'rolling-deploy':
        void this.supervisor.rollingDeploy();
        return;
      case 'crash':
        void this.supervisor.crash(process);
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
}
