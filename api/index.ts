/**
 * `wake-sim`: test an agents runtime on Durable Streams in a deterministic simulated world.
 *
 * - **A runtime under test** implements {@link RuntimeUnderTest} over the {@link HostContext} it is given (the wire
 *   types and routes are here too, and alone in `wake-sim/protocol`) and is made known with {@link registerRuntime}.
 * - **A scenario** ({@link Scenario}) builds a {@link World} inside a {@link SimContext}, starts hosts of the runtime
 *   through a {@link HostSupervisor} and {@link launchHost}, schedules the workload and faults, and says which actions
 *   must happen ({@link ExpectedAction}); {@link registerScenario} makes it known. Its own switches are
 *   {@link SwitchDefinition}s.
 * - **A property** ({@link PropertyDefinition}) judges a {@link RunHistory} and returns {@link Violation}s;
 *   {@link registerProperty}. **A fault kind**: {@link registerFaultKind}.
 * - **Running**: {@link runSpecFor} resolves what to run, {@link runScenario} runs it once, {@link explore} searches,
 *   shrinks and gives a replay token, {@link readReplayToken} and {@link replay} re-run it. {@link loadRegistrations}
 *   imports a module of registrations so that worker threads load it too; the `wake-sim` command loads
 *   `wake-sim.config.mjs` (or `--config-module PATH`) the same way.
 * - The kernel (`wake-sim/kernel`) is re-exported here; the test helpers are in `wake-sim/testing`.
 *
 * docs/test-your-own-runtime.md and docs/write-a-scenario.md walk through both.
 *
 * @packageDocumentation
 */

export * from './kernel.ts';
export * from './protocol.ts';

// Scenarios and what a run is.
export {
  DEFAULT_SCENARIO,
  faultsForScenario,
  getScenario,
  registeredScenarios,
  registerScenario,
  ScenarioError,
  switchesFor,
  type RunSpec,
  type Scenario,
  type ScenarioSetup,
} from '../scenarios/index.ts';
export { DEFAULT_RUNTIME, getRuntime, registeredRuntimes, registerRuntime } from '../scenarios/registry/runtimes.ts';
export { RegistryError } from '../scenarios/registry/RegistryError.ts';
export { loadRegistrations, registrationModules, RegistrationModuleError } from '../scenarios/registry/registrationModules.ts';
export { runSpecFor, type RunSpecRequest } from '../scenarios/config/runSpecFor.ts';
export {
  CONFIG_PRESETS,
  ConfigError,
  describeSwitchValues,
  listSwitchValues,
  resolveSwitchValues,
  type SwitchValues,
} from '../scenarios/config/SwitchValues.ts';
export { WORLD_SWITCHES, worldSwitchOptions, type WorldSwitchOptions } from '../scenarios/config/worldSwitches.ts';
export { describeConfig } from '../scenarios/config/describeConfig.ts';

// The world a scenario builds.
export { SERVICE_ORIGINS, World, type WorldOptions } from '../world/World.ts';
export { HostSupervisor, type HostLauncher, type LaunchedHost } from '../world/process/HostSupervisor.ts';
export { SimProcess, type ExitReason } from '../world/process/SimProcess.ts';
export { launchHost, type HostPlan } from '../scenarios/hosts/launchHost.ts';
export { probedHandler, type Probe } from '../scenarios/hosts/probedHandler.ts';
export { occurrenceDueAtMs, scheduleCronTicks, type CronSchedule } from '../world/agents-server/CronScheduler.ts';
export { AGENTS_SERVER, AgentsServer, type EntityRow } from '../world/agents-server/AgentsServer.ts';
export { RESUME_OFFSET_SOURCES, type ResumeOffsetSource } from '../world/agents-server/ResumeOffsetSource.ts';
export { CHAT, ChatService, type ChatOptions } from '../world/chat/ChatService.ts';
export { DurableStreamsService } from '../world/durable-streams/DurableStreamsService.ts';
export { DURABLE_STREAMS } from '../world/durable-streams/StreamsFrontEnd.ts';
export { HostNetwork } from '../world/network/HostNetwork.ts';
export type { NetworkOptions } from '../world/network/Network.ts';
export { DEFAULT_FAULT_OPTIONS, type FaultOptions } from '../world/faults/FaultOptions.ts';
export { drawTimedFaults, type TimedFault } from '../world/faults/TimedFaultPlan.ts';

// Fault kinds.
export {
  DEFAULT_FAULT_KINDS,
  faultKinds,
  FaultListError,
  parseFaultList,
  registerFaultKind,
  type FaultKind,
  type FaultKindDefinition,
} from '../world/faults/FaultKind.ts';

// Properties.
export {
  getProperty,
  judge,
  propertyNames,
  PropertyRegistryError,
  registeredProperties,
  registerProperty,
  type ExpectedAction,
  type PropertyDefinition,
  type PropertyName,
  type RunHistory,
  type Violation,
  type WorldEndState,
} from '../properties/index.ts';

// Running: one run, a search, a replay.
export { runScenario, type BeforeStep, type RunOptions, type RunResult } from '../scenarios/runScenario.ts';
export {
  countedViolations,
  DEFAULT_MAX_SHRINK_ATTEMPTS,
  explore,
  shrinkToProperty,
  type ExploreReport,
  type ExploreRequest,
  type Finding,
  type SearchProgress,
} from '../scenarios/explore.ts';
export { readReplayToken, replay, replayTokenFor, type ReplayRequest } from '../scenarios/replayTokens.ts';
