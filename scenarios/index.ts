import { dailyDigestScenario } from './daily-digest/dailyDigestScenario.ts';
import { minimalDigestScenario } from './daily-digest/minimalDigestScenario.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../world/faults/FaultKind.ts';
import type { Scenario } from './Scenario.ts';

export type { RunSpec, Scenario, ScenarioSetup } from './Scenario.ts';

/** Every scenario by name. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([
  [dailyDigestScenario.name, dailyDigestScenario],
  [minimalDigestScenario.name, minimalDigestScenario],
]);

export const DEFAULT_SCENARIO = dailyDigestScenario.name;

/** Thrown for an unknown scenario name; the message is a complete one-line explanation. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export function getScenario(name: string): Scenario {
  const scenario = SCENARIOS.get(name);
  if (!scenario) throw new ScenarioError(`unknown scenario "${name}" (known: ${[...SCENARIOS.keys()].join(', ')})`);
  return scenario;
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
