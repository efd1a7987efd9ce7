import { PlannedChoiceSource, type RunPlan } from '../../sim/strategies/PlannedChoiceSource.ts';
import type { BatchHit, BatchOutcome, RunReport } from '../../sim/explore/scanRange.ts';
import type { RunRange } from '../../sim/explore/runRange.ts';
import { createStrategy, type StrategyOptions } from '../../sim/strategies/createStrategy.ts';
import { propertyNames, type PropertyName } from '../../properties/index.ts';
import { coverageKeysOf } from '../coverageKeys.ts';
import type { RunSpec } from '../index.ts';
import { replayTokenFor } from '../replayTokens.ts';
import { runScenario, type RunResult } from '../runScenario.ts';
import { countedViolations, shrinkToProperty } from '../shrinkToProperty.ts';

/**
 * The work a worker thread (or this thread) does for a scaled-out search. Tasks and results are plain data (they
 * cross a thread boundary by structured clone); a task names its runs by index, and the run's answers come from the
 * strategy, so a run executes the same way in any thread.
 */

/** Key of a hit in `explore`'s scans: a run that violated any counted property. */
export const ANY_COUNTED = 'any-counted';

/** Run a batch of run indexes and report the first run (per key) that violated a counted property. */
export interface ScanTask {
  readonly kind: 'scan';
  readonly spec: RunSpec;
  /** Independent strategy and its seed: run `r` gets `createStrategy(strategy).sourceForRun(r)`. */
  readonly strategy: StrategyOptions;
  readonly batch: RunRange;
  readonly properties: readonly PropertyName[];
  /**
   * `any`: one key, {@link ANY_COUNTED}; the batch stops at the first run with a counted violation (explore).
   * `each`: one key per counted property; the batch stops once each was seen (the fix matrix).
   */
  readonly keys: 'any' | 'each';
  /**
   * For a strategy that plans in generations: the plan of each run of the batch, in index order (the runs' answers
   * come from these, not from `strategy`), and every run's finished answers are reported back.
   */
  readonly plans?: readonly RunPlan[];
  /** Report every run's coverage keys (`BatchOutcome.runs`), for coverage figures and guided strategies. */
  readonly coverage: boolean;
}

/** Re-run run `runIndex`, shrink it to `property`, and describe the shrunk story as a fix matrix cell shows it. */
export interface ShrinkTask {
  readonly kind: 'shrink';
  readonly spec: RunSpec;
  readonly strategy: StrategyOptions;
  readonly runIndex: number;
  /** The run's plan, for a strategy that plans in generations (the run is re-run from it, not from `strategy`). */
  readonly plan?: RunPlan;
  readonly property: PropertyName;
  readonly maxShrinkAttempts: number;
  /** Also return the shrunk run itself (events and all), e.g. to write it as a trace file. */
  readonly withShrunkRun: boolean;
}

export type Task = ScanTask | ShrinkTask;

/** A shrunk finding as the fix matrix keeps it. */
export interface ShrunkFinding {
  readonly property: PropertyName;
  /** Runs until the first run that showed it (1-based). */
  readonly runsToFirst: number;
  readonly shrunkSteps: number;
  readonly shrunkFaults: number;
  readonly replay: string;
  /** The shrunk run, when asked for. */
  readonly shrunk?: RunResult;
}

export type TaskResult<T extends Task> = T extends ScanTask ? BatchOutcome : ShrunkFinding;

/** Runs one task; the worker entry (worker.mjs) exports this as its handler. */
export async function runTask(task: Task): Promise<BatchOutcome | ShrunkFinding> {
  return task.kind === 'scan' ? scanBatch(task) : shrinkFromRun(task);
}

/** The runs of `task.batch` in index order, until each key was seen. */
export async function scanBatch(task: ScanTask): Promise<BatchOutcome> {
  const strategy = task.plans ? undefined : createStrategy(task.strategy);
  if (strategy && !strategy.runsAreIndependent) throw new Error(`strategy ${strategy.name} plans runs from earlier ones; it cannot run in batches`);
  const wanted = task.keys === 'any' ? [ANY_COUNTED] : propertyNames().filter((name) => task.properties.includes(name));
  const hits: BatchHit[] = [];
  const runs: RunReport[] = [];
  const seen = new Set<string>();
  let runsDone = 0;
  for (let position = 0; position < task.batch.count && seen.size < wanted.length; position += 1) {
    const runIndex = task.batch.first + position * task.batch.step;
    const source = task.plans ? new PlannedChoiceSource(task.plans[position]!) : strategy!.sourceForRun(runIndex);
    if (source === undefined) break;
    const result = await runScenario(task.spec, source);
    runsDone += 1;
    if (task.coverage) {
      const finished = source instanceof PlannedChoiceSource ? { finished: source.finished() } : {};
      runs.push({ runIndex, feedback: { coverage: coverageKeysOf(result) }, ...finished });
    }
    const violated = countedViolations(result, task.properties);
    const keys = task.keys === 'any' ? (violated.length > 0 ? [ANY_COUNTED] : []) : violated;
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ key, runIndex });
    }
  }
  return { runsDone, hits, ...(task.coverage ? { runs } : {}) };
}

/** Shrinks run `task.runIndex` of the strategy to `task.property`. */
export async function shrinkFromRun(task: ShrinkTask): Promise<ShrunkFinding> {
  const source = task.plan ? new PlannedChoiceSource(task.plan) : createStrategy(task.strategy).sourceForRun(task.runIndex);
  if (source === undefined) throw new Error(`strategy ${task.strategy.name} has no run ${task.runIndex}`);
  const original = await runScenario(task.spec, source);
  return shrinkMatrixFinding(task.spec, original.choices, task.runIndex, task.property, task.maxShrinkAttempts, task.withShrunkRun);
}

/** The fix matrix's record of a finding: the run it was first seen in, the shrunk story's size and its token. */
export async function shrinkMatrixFinding(
  spec: RunSpec,
  choices: readonly number[],
  runIndex: number,
  property: PropertyName,
  maxShrinkAttempts: number,
  withShrunkRun: boolean,
): Promise<ShrunkFinding> {
  const { shrink, shrunk } = await shrinkToProperty(spec, choices, property, maxShrinkAttempts);
  const replay = replayTokenFor(spec, shrink.script, property);
  return {
    property,
    runsToFirst: runIndex + 1,
    shrunkSteps: shrunk.steps,
    shrunkFaults: shrunk.events.filter((event) => event.kind === 'fault').length,
    replay,
    ...(withShrunkRun ? { shrunk } : {}),
  };
}
