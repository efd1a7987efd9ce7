import type { SwitchDefinition } from '../protocol/switches/SwitchDefinition.ts';
import type { RuntimeUnderTest } from '../protocol/host/RuntimeUnderTest.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../world/faults/FaultKind.ts';
import { WORLD_SWITCHES } from './config/worldSwitches.ts';
import { dailyDigestScenario } from './daily-digest/dailyDigestScenario.ts';
import { minimalDigestScenario } from './daily-digest/minimalDigestScenario.ts';
import { RegistryError } from './registry/RegistryError.ts';
import { propertiesNotJudgedIn, type PropertyNotJudged, type RunSpec, type Scenario } from './Scenario.ts';

export type { PropertyNotJudged, RunSpec, Scenario, ScenarioSetup } from './Scenario.ts';

const scenarios = new Map<string, Scenario>();

export const DEFAULT_SCENARIO = dailyDigestScenario.name;

/** Thrown for an unknown scenario name or an impossible fault set; the message is a complete one-line explanation. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/**
 * Makes a scenario available to `explore`, `matrix`, `replay` and the testing helpers by its name. Registering the
 * same object again is a no-op; another scenario under a taken name is refused.
 */
export function registerScenario(scenario: Scenario): void {
  const known = scenarios.get(scenario.name);
  if (known && known !== scenario) throw new RegistryError(`a scenario named "${scenario.name}" is already registered`);
  scenarios.set(scenario.name, scenario);
}

export function getScenario(name: string): Scenario {
  const scenario = scenarios.get(name);
  if (!scenario) throw new ScenarioError(`unknown scenario "${name}" (known: ${[...scenarios.keys()].join(', ')}; one of your own is known once its registration module is loaded: --config-module FILE, or a wake-sim.config.* in the working folder)`);
  return scenario;
}

/** Every registered scenario, in registration order. */
export function registeredScenarios(): readonly Scenario[] {
  return [...scenarios.values()];
}

/** Every switch a run of `scenario` under `runtime` has: the runtime's, the world's, the scenario's. */
export function switchesFor(scenario: Scenario, runtime: RuntimeUnderTest): readonly SwitchDefinition[] {
  return [...runtime.switches, ...WORLD_SWITCHES, ...(scenario.switches ?? [])];
}

/** The properties runs of `spec` are not judged by, with why (none for most configurations). */
export function propertiesNotJudged(spec: RunSpec): readonly PropertyNotJudged[] {
  return propertiesNotJudgedIn(getScenario(spec.scenario), spec.config);
}

/**
 * The fault kinds of a run of `scenario`: the requested ones, or the scenario's default when none were named. A kind
 * the scenario cannot inject is a {@link ScenarioError}, not silently ignored.
 */
export function faultsForScenario(scenario: Scenario, requested: readonly FaultKind[] | undefined): FaultKind[] {
  if (requested === undefined) return [...(scenario.defaultFaults ?? DEFAULT_FAULT_KINDS)];
  const unsupported = scenario.faultKinds ? requested.filter((kind) => !scenario.faultKinds!.includes(kind)) : [];
  if (unsupported.length > 0) {
    throw new ScenarioError(
      `scenario "${scenario.name}" cannot inject ${unsupported.join(', ')} (it supports: ${scenario.faultKinds!.join(', ')})`,
    );
  }
  return [...requested];
}

registerScenario(dailyDigestScenario);
registerScenario(minimalDigestScenario);
