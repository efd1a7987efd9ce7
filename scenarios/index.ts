import { dailyDigestScenario } from './daily-digest/dailyDigestScenario.ts';
import type { Scenario } from './Scenario.ts';

export type { RunSpec, Scenario, ScenarioSetup } from './Scenario.ts';

/** Every scenario by name. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([[dailyDigestScenario.name, dailyDigestScenario]]);

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
