import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { MODEL_IDEMPOTENCY_CHECKS, MODEL_OFFSET_MODES, MODEL_WIRING_MODES, type ModelConfig } from '../modelConfig.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { getRuntime } from '../../scenarios/registry/runtimes.ts';
import { followRun } from '../followRun.ts';
import { ModelCoverage, type CoverageReport } from './ModelCoverage.ts';

/** Every combination of the three switches, in a fixed order. */
export function allConfigs(): ModelConfig[] {
  return MODEL_WIRING_MODES.flatMap((wiring) => MODEL_OFFSET_MODES.flatMap((offset) => MODEL_IDEMPOTENCY_CHECKS.map((idempotency) => ({ wiring, offset, idempotency }))));
}

export interface CoverageRequest {
  readonly scenario: string;
  readonly runs: number;
  readonly seed: number;
  readonly faults: readonly FaultKind[];
  /** Configurations to spread the runs over, round-robin (all combinations by default). */
  readonly configs?: readonly ModelConfig[];
}

export interface CoverageOutcome extends CoverageReport {
  readonly runs: number;
  /** Runs the model did not accept (each is also a model-conformance violation of that run). */
  readonly nonconformingRuns: number;
}

/**
 * Runs a batch of seeded simulations, round-robin over configurations, and follows each run with the composed model
 * (the system models, and those of the runtime's internals it declares), recording every state entered and transition
 * taken.
 */
export async function measureCoverage(request: CoverageRequest): Promise<CoverageOutcome> {
  const configs = request.configs ?? allConfigs();
  const coverage = new ModelCoverage();
  let nonconformingRuns = 0;
  for (let runIndex = 0; runIndex < request.runs; runIndex += 1) {
    const config = configs[runIndex % configs.length]!;
    const spec = runSpecFor({ scenario: request.scenario, switches: { ...config }, faults: request.faults });
    const result = await runScenario(spec, new RandomChoiceSource(runSeed(request.seed, runIndex)));
    const annotations = getRuntime(spec.runtime).annotations ?? [];
    if (followRun({ events: result.events, config: spec.config, faults: spec.faults, annotations }, { observer: coverage }).refused) nonconformingRuns += 1;
  }
  return { ...coverage.report(), runs: request.runs, nonconformingRuns };
}
