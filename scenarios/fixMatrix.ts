import { runRange, type Shard } from '../sim/explore/runRange.ts';
import { scanGenerations } from '../sim/explore/scanGenerations.ts';
import { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
import { allConfigs } from '../models/coverage/measureCoverage.ts';
import { propertyNames, type PropertyName } from '../properties/index.ts';
import type { SwitchValues } from './config/SwitchValues.ts';
import { runSpecFor } from './config/runSpecFor.ts';
import type { FaultKind } from '../world/faults/FaultKind.ts';
import { coverageKeysOf } from './coverageKeys.ts';
import { assertSplittable, batchSizeFor } from './explore.ts';
import type { RunSpec } from './index.ts';
import { shrinkMatrixFinding, type ShrunkFinding } from './parallel/tasks.ts';
import { openTaskRunner, type TaskRunner } from './parallel/taskRunner.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** One violation kind found in one cell of the matrix. */
export interface MatrixFinding {
  readonly property: PropertyName;
  /** Runs until the first run that showed it (1-based): its run index + 1. */
  readonly runsToFirst: number;
  /** Scheduler steps of the shrunk story, and how many injected faults it keeps. */
  readonly shrunkSteps: number;
  readonly shrunkFaults: number;
  readonly replay: string;
}

/** One combination of the switches and what exploring it found. */
export interface MatrixCell {
  readonly config: SwitchValues;
  /**
   * Runs a sequential scan executes: the budget (of the shard's indexes, with a shard), or fewer once every kind was
   * found. The same with any number of workers.
   */
  readonly runs: number;
  readonly findings: readonly MatrixFinding[];
}

/** Where a matrix stands, for progress displays. */
export interface MatrixProgress {
  /** The cell being scanned (0-based) and how many there are. */
  readonly cellIndex: number;
  readonly cellCount: number;
  readonly config: SwitchValues;
  /** Runs executed so far over all cells, and at most over all cells. */
  readonly runsDone: number;
  readonly budget: number;
  /** Violation kinds found so far over all cells. */
  readonly findings: number;
}

export interface MatrixRequest {
  readonly scenario: string;
  /** The runtime under test (the default one when absent). */
  readonly runtime?: string;
  /** Switch values every cell shares; each cell's own values override them. */
  readonly baseSwitches?: SwitchValues;
  readonly faults: readonly FaultKind[];
  readonly runsPerCell: number;
  readonly seed: number;
  /** How each cell's runs are drawn (random unless given); every cell gets a fresh strategy with the same seed. */
  readonly strategy?: Omit<StrategyOptions, 'seed'>;
  readonly maxShrinkAttempts: number;
  /**
   * Called with each finding's shrunk run and token, e.g. to write it as a trace file; in cell order, and in property
   * order within a cell, with or without workers.
   */
  readonly onFinding?: (shrunk: RunResult, replay: string, property: PropertyName) => void;
  /** The cells: the switch values each varies (every wiring, offset and idempotency combination by default). */
  readonly configs?: readonly SwitchValues[];
  /** Called after each cell, e.g. for progress (with workers, cells end after their shrinking, all at the end). */
  readonly onCell?: (cell: MatrixCell, index: number, total: number) => void;
  /** Only this shard's run indexes of every cell (run r belongs to shard (r mod count) + 1). */
  readonly shard?: Shard;
  /** Worker threads (1, the default: this thread). The cells are the same for any number. */
  readonly workers?: number;
  /** A runner to use instead of opening one for `workers` (left open). */
  readonly runner?: TaskRunner;
  /** Called as runs end. */
  readonly onProgress?: (progress: MatrixProgress) => void;
}

/**
 * The fix matrix: every combination of the `wiring`, `offset` and `idempotency` switches explored with the same seeds.
 * Each cell runs `runsPerCell` seeded runs and keeps, per violation kind, the first run that showed it, shrunk to a
 * short story with its replay token. Every verdict comes from exploration: a kind is listed only when a run showed it.
 *
 * With a shard or workers each cell is scanned in batches (scanRange) and keeps per kind the lowest run index that
 * showed it, which is the run a sequential scan finds first; shrinking is deterministic from that run, so the cells
 * are the same as a sequential matrix's.
 */
export async function fixMatrix(request: MatrixRequest): Promise<MatrixCell[]> {
  const workers = request.runner?.workers ?? request.workers ?? 1;
  if (request.shard === undefined && workers <= 1 && request.runner === undefined) return fixMatrixSequentially(request);
  return fixMatrixScaledOut(request, workers);
}

const cellSpec = (request: MatrixRequest, config: SwitchValues): RunSpec =>
  runSpecFor({ scenario: request.scenario, ...(request.runtime ? { runtime: request.runtime } : {}), switches: { ...request.baseSwitches, ...config }, faults: request.faults });

/** A shrunk finding as a cell keeps it; the shrunk run goes to `onFinding`. */
function matrixFinding(request: MatrixRequest, found: ShrunkFinding): MatrixFinding {
  const { shrunk, ...finding } = found;
  if (shrunk) request.onFinding?.(shrunk, finding.replay, finding.property);
  return finding;
}

async function fixMatrixSequentially(request: MatrixRequest): Promise<MatrixCell[]> {
  const configs: readonly SwitchValues[] = request.configs ?? allConfigs().map((config) => ({ ...config }));
  const cells: MatrixCell[] = [];
  let runsDone = 0;
  let found = 0;
  for (const [index, config] of configs.entries()) {
    const spec = cellSpec(request, config);
    const firstRun = new Map<PropertyName, { runIndex: number; choices: readonly number[] }>();
    const strategy = createStrategy({ ...(request.strategy ?? { name: 'random' }), seed: request.seed });
    let runs = 0;
    for (let runIndex = 0; runIndex < request.runsPerCell && firstRun.size < propertyNames().length; runIndex += 1) {
      const source = strategy.sourceForRun(runIndex);
      if (source === undefined) break;
      runs += 1;
      const result = await runScenario(spec, source);
      strategy.runFinished?.(runIndex, source, strategy.wantsFeedback ? { coverage: coverageKeysOf(result) } : undefined);
      for (const violation of result.violations) {
        if (!firstRun.has(violation.property)) {
          firstRun.set(violation.property, { runIndex, choices: result.choices });
          found += 1;
        }
      }
      runsDone += 1;
      request.onProgress?.({ cellIndex: index, cellCount: configs.length, config, runsDone, budget: configs.length * request.runsPerCell, findings: found });
    }
    const findings: MatrixFinding[] = [];
    for (const property of propertyNames()) {
      const first = firstRun.get(property);
      if (!first) continue;
      const shrunk = await shrinkMatrixFinding(spec, first.choices, first.runIndex, property, request.maxShrinkAttempts, request.onFinding !== undefined);
      findings.push(matrixFinding(request, shrunk));
    }
    const cell: MatrixCell = { config, runs, findings };
    cells.push(cell);
    request.onCell?.(cell, index, configs.length);
  }
  return cells;
}

async function fixMatrixScaledOut(request: MatrixRequest, workers: number): Promise<MatrixCell[]> {
  const configs: readonly SwitchValues[] = request.configs ?? allConfigs().map((config) => ({ ...config }));
  const strategyOptions = { ...(request.strategy ?? { name: 'random' as const }), seed: request.seed };
  const probe = createStrategy(strategyOptions);
  assertSplittable(probe, request.shard ? 'sharding' : 'running on several workers');
  const wantsFeedback = probe.wantsFeedback ?? false;
  const range = runRange(request.runsPerCell, request.shard);
  const runner = request.runner ?? openTaskRunner(workers);
  const properties = [...propertyNames()];
  let runsDone = 0;
  let found = 0;
  try {
    // Each cell's shrinking is queued behind its scan and overlaps the next cell's scan; cells are put together in
    // order at the end.
    const pending: Array<{ config: SwitchValues; runs: number; shrinks: Array<Promise<ShrunkFinding>> }> = [];
    for (const [index, config] of configs.entries()) {
      const spec = cellSpec(request, config);
      // A cell's own strategy: one that plans in generations learns from this cell's runs only.
      const { generations } = createStrategy(strategyOptions);
      const scan = await scanGenerations({
        range,
        keys: properties,
        batchSize: batchSizeFor(range.count, runner.concurrency),
        concurrency: runner.concurrency,
        ...(generations ? { generations } : {}),
        runBatch: (batch, plans) =>
          runner.run({ kind: 'scan', spec, strategy: strategyOptions, batch, properties, keys: 'each', coverage: wantsFeedback, ...(plans ? { plans } : {}) }),
        onBatch: (outcome) => {
          runsDone += outcome.runsDone;
          request.onProgress?.({ cellIndex: index, cellCount: configs.length, config, runsDone, budget: configs.length * range.count, findings: found });
        },
      });
      found += scan.firsts.size;
      const shrinks = propertyNames().flatMap((property) => {
        const runIndex = scan.firsts.get(property);
        if (runIndex === undefined) return [];
        const plan = scan.plansOfFirsts.get(runIndex);
        const { maxShrinkAttempts } = request;
        return [
          runner.run({ kind: 'shrink', spec, strategy: strategyOptions, runIndex, ...(plan ? { plan } : {}), property, maxShrinkAttempts, withShrunkRun: request.onFinding !== undefined }),
        ];
      });
      // A failed shrink is reported when the cells are put together; until then it must not count as unhandled.
      shrinks.forEach((shrink) => shrink.catch(() => undefined));
      pending.push({ config, runs: scan.runsNeeded, shrinks });
    }
    const cells: MatrixCell[] = [];
    for (const [index, { config, runs, shrinks }] of pending.entries()) {
      const findings = (await Promise.all(shrinks)).map((shrunk) => matrixFinding(request, shrunk));
      const cell: MatrixCell = { config, runs, findings };
      cells.push(cell);
      request.onCell?.(cell, index, configs.length);
    }
    return cells;
  } finally {
    if (request.runner === undefined) await runner.close();
  }
}
