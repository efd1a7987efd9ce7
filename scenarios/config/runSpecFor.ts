import { faultsForScenario, getScenario, switchesFor, type RunSpec } from '../index.ts';
import { DEFAULT_RUNTIME, getRuntime } from '../registry/runtimes.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { resolveSwitchValues, type SwitchValues } from './SwitchValues.ts';

/** What to run, named loosely: the scenario, optionally the runtime and preset, the switches that differ, the faults. */
export interface RunSpecRequest {
  readonly scenario: string;
  readonly runtime?: string;
  readonly preset?: string;
  readonly switches?: SwitchValues;
  /** The scenario's default faults when absent. */
  readonly faults?: readonly FaultKind[];
}

/**
 * The full spec of a run: every switch of the runtime, the world and the scenario resolved (defaults, preset,
 * overrides, implications), the faults checked against the scenario. Throws `ConfigError`, `ScenarioError` or
 * `RegistryError` with a one-line message for anything unknown.
 */
export function runSpecFor(request: RunSpecRequest): RunSpec {
  const scenario = getScenario(request.scenario);
  const runtime = getRuntime(request.runtime ?? DEFAULT_RUNTIME);
  const config = resolveSwitchValues(switchesFor(scenario, runtime), request.preset ?? 'v0.4', request.switches ?? {});
  return { scenario: scenario.name, runtime: runtime.name, config, faults: faultsForScenario(scenario, request.faults) };
}
