import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import type { HostContext } from '../../protocol/host/HostContext.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { HostLauncher } from '../../world/process/HostSupervisor.ts';
import type { SimProcess } from '../../world/process/SimProcess.ts';
import { SERVICE_ORIGINS, type World } from '../../world/World.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';

/** What a host process of a scenario runs: which runtime, with which switches, and the scenario's entity code. */
export interface HostPlan {
  readonly runtime: RuntimeUnderTest;
  /** The run's switch values; the runtime gets those of its own switches. */
  readonly config: SwitchValues;
  readonly runnerId: string;
  readonly runnerLabel: string;
  /** The entity code by entity type, built for each process (it reaches the outside world through that process). */
  readonly handlersFor: (process: SimProcess) => ReadonlyMap<string, EntityHandler>;
}

/**
 * The seam between the world and a runtime under test: builds the {@link HostContext} of a process (its network,
 * base URLs, environment, SIGTERM signal, entity code, annotations into the trace) and starts the runtime in it.
 * The process's global `fetch` becomes its simulated network for the run.
 */
export function launchHost(sim: SimContext, world: World, plan: HostPlan): HostLauncher {
  const runtimeConfig: Record<string, string> = {};
  for (const definition of plan.runtime.switches) runtimeConfig[definition.name] = plan.config[definition.name] ?? definition.defaultValue;
  const env: Record<string, string> = { RUNNER_ID: plan.runnerId, RUNNER_LABEL: plan.runnerLabel };
  for (const [name, value] of Object.entries(runtimeConfig)) env[`WAKE_SIM_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  return (process, sigterm) => {
    const network = world.networkFor(process);
    sim.hermetic?.bindFetch(process.name, network.fetch as typeof fetch);
    const host: HostContext = {
      processName: process.name,
      fetch: network.fetch,
      transport: network.transport,
      urls: { durableStreams: SERVICE_ORIGINS.durableStreams, agentsServer: SERVICE_ORIGINS.agentsServer },
      env,
      config: runtimeConfig,
      signal: sigterm,
      handlers: plan.handlersFor(process),
      annotate: (kind, detail) => {
        if (process.alive) sim.trace.annotate(process.name, kind, detail ?? {});
      },
    };
    try {
      return plan.runtime.startHost(host);
    } catch (error) {
      // The runtime's start threw: an exception out of a Node program's main module ends the process at once, status
      // 1. It is the process's death (`uncaught-error`), not the tool's, and the platform restarts it like any other.
      // Only the runtime's own call is caught here: the world's and the scenario's errors above still fail the run.
      process.fail({ actor: process.name, kind: 'uncaught-exception', error });
      return { stopped: Promise.resolve() };
    }
  };
}
