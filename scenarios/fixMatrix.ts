import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import { allConfigs } from '../models/coverage/measureCoverage.ts';
import { PROPERTY_NAMES, type PropertyName } from '../properties/index.ts';
import type { RuntimeConfig } from '../runtime/config.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import { shrinkToProperty } from './explore.ts';
import { replayTokenFor } from './replayTokens.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** One violation kind found in one cell of the matrix. */
export interface MatrixFinding {
  readonly property: PropertyName;
  /** Runs until the first run that showed it (1-based). */
  readonly runsToFirst: number;
  /** Scheduler steps of the shrunk story, and how many injected faults it keeps. */
  readonly shrunkSteps: number;
  readonly shrunkFaults: number;
  readonly replay: string;
}

/** One combination of the switches and what exploring it found. */
export interface MatrixCell {
  readonly config: RuntimeConfig;
  /** Runs executed: the budget, or fewer once every kind was found. */
  readonly runs: number;
  readonly findings: readonly MatrixFinding[];
}

export interface MatrixRequest {
  readonly scenario: string;
  readonly faults: readonly FaultKind[];
  readonly runsPerCell: number;
  readonly seed: number;
  /** How each cell's runs are drawn (random unless given); every cell gets a fresh strategy with the same seed. */
  readonly strategy?: Omit<StrategyOptions, 'seed'>;
  readonly maxShrinkAttempts: number;
  /** Called with each finding's shrunk run and token, e.g. to write it as a trace file. */
  readonly onFinding?: (shrunk: RunResult, replay: string, property: PropertyName) => void;
  readonly configs?: readonly RuntimeConfig[];
  /** Called after each cell, e.g. for progress. */
  readonly onCell?: (cell: MatrixCell, index: number, total: number) => void;
}

/**
 * The fix matrix: every combination of the `wiring`, `offset` and `idempotency` switches explored with the same seeds.
 * Each cell runs `runsPerCell` seeded runs and keeps, per violation kind, the first run that showed it, shrunk to a
 * short story with its replay token. Every verdict comes from exploration: a kind is listed only when a run showed it.
 */
export async function fixMatrix(request: MatrixRequest): Promise<MatrixCell[]> {
  const configs = request.configs ?? allConfigs();
  const cells: MatrixCell[] = [];
  for (const [index, config] of configs.entries()) {
    const spec = { scenario: request.scenario, config, faults: [...request.faults] };
    const firstRun = new Map<PropertyName, { runIndex: number; choices: readonly number[] }>();
    const strategy = createStrategy({ ...(request.strategy ?? { name: 'random' }), seed: request.seed });
    let runs = 0;
    for (let runIndex = 0; runIndex < request.runsPerCell && firstRun.size < PROPERTY_NAMES.length; runIndex += 1) {
      const source = strategy.sourceForRun(runIndex);
      if (source === undefined) break;
      runs += 1;
      const result = await runScenario(spec, source);
      strategy.runFinished?.(runIndex, source);
      for (const violation of result.violations) {
        if (!firstRun.has(violation.property)) firstRun.set(violation.property, { runIndex, choices: result.choices });
      }
    }
    const findings: MatrixFinding[] = [];
    for (const property of PROPERTY_NAMES) {
      const first = firstRun.get(property);
      if (!first) continue;
      const { shrink, shrunk } = await shrinkToProperty(spec, first.choices, property, request.maxShrinkAttempts);
      const replay = replayTokenFor(spec, shrink.script, property);
      findings.push({
        property,
        runsToFirst: first.runIndex + 1,
        shrunkSteps: shrunk.steps,
        shrunkFaults: shrunk.events.filter((event) => event.kind === 'fault').length,
        replay,
      });
      request.onFinding?.(shrunk, replay, property);
    }
    const cell: MatrixCell = { config, runs, findings };
    cells.push(cell);
    request.onCell?.(cell, index, configs.length);
  }
  return cells;
}
