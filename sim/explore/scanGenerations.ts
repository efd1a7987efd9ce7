import type { RunPlan } from '../strategies/PlannedChoiceSource.ts';
import type { Generations } from '../strategies/Generations.ts';
import { rangeIndex, subRange, type RunRange } from './runRange.ts';
import { scanRange, type BatchOutcome, type RunReport, type ScanRangeOptions, type ScanRangeOutcome } from './scanRange.ts';

/** Options of {@link scanGenerations}: those of {@link scanRange}, and the strategy's generations if it has any. */
export interface ScanGenerationsOptions extends Omit<ScanRangeOptions, 'runBatch'> {
  /** The generations of a strategy that plans runs from earlier ones; absent when runs are independent. */
  readonly generations?: Generations;
  /**
   * Runs a batch. With generations, `plans` holds the plan of each run of the batch in index order, and the outcome
   * must report every run it executed with its finished run and feedback (`BatchOutcome.runs`).
   */
  readonly runBatch: (batch: RunRange, plans: readonly RunPlan[] | undefined) => Promise<BatchOutcome>;
}

/** What {@link scanGenerations} found. */
export interface ScanGenerationsOutcome extends ScanRangeOutcome {
  /**
   * With generations, the plan of each run in `firsts`: later generations plan from a grown corpus, so this is the
   * one way back to such a run's answers besides its recorded list. Empty for independent runs.
   */
  readonly plansOfFirsts: ReadonlyMap<number, RunPlan>;
}

/**
 * {@link scanRange} for every kind of strategy that can be spread out. Independent runs are one scan of the whole
 * range. Runs in generations are scanned a generation at a time: the strategy plans every run of the generation
 * (consecutive positions of the range), the runs are spread over batches like independent runs, and once every run
 * of it has ended the strategy learns them and ends the generation, so the next one is planned from all of them.
 * The scan stops after the generation in which every key has been hit; the outcome is the one a sequential search
 * of the same strategy gives, whatever the batching and the order batches end in.
 *
 * With a shard the range is the shard's indexes, so its generations are made of the shard's runs alone: a sharded
 * search that plans in generations is its own search, not a part of the unsharded one.
 */
export async function scanGenerations(options: ScanGenerationsOptions): Promise<ScanGenerationsOutcome> {
  const { generations, range, keys } = options;
  if (generations === undefined) {
    return { ...(await scanRange({ ...options, runBatch: (batch) => options.runBatch(batch, undefined) })), plansOfFirsts: new Map() };
  }
  const firsts = new Map<string, number>();
  const plansOfFirsts = new Map<number, RunPlan>();
  let runsDone = 0;
  for (let from = 0; from < range.count; from += generations.size) {
    const generation = subRange(range, from, generations.size);
    const plans = new Map(indexesOf(generation).map((runIndex) => [runIndex, generations.plan(runIndex)]));
    const reports = new Map<number, RunReport>();
    const scan = await scanRange({
      ...options,
      range: generation,
      keys: keys.filter((key) => !firsts.has(key)),
      runBatch: (batch) => options.runBatch(batch, indexesOf(batch).map((runIndex) => plans.get(runIndex)!)),
      onBatch: (outcome, batch) => {
        for (const report of outcome.runs ?? []) reports.set(report.runIndex, report);
        options.onBatch?.(outcome, batch);
      },
    });
    runsDone += scan.runsDone;
    for (const [key, runIndex] of scan.firsts) {
      if (firsts.has(key)) continue;
      firsts.set(key, runIndex);
      plansOfFirsts.set(runIndex, plans.get(runIndex)!);
    }
    if (keys.length > 0 && keys.every((key) => firsts.has(key))) return { firsts, runsNeeded: from + scan.runsNeeded, runsDone, plansOfFirsts };
    // The last generation is not ended, as a sequential search never asks for the run after its budget.
    if (from + generations.size >= range.count) break;
    for (const runIndex of indexesOf(generation)) {
      const report = reports.get(runIndex);
      if (report?.finished === undefined) throw new Error(`run ${runIndex} of a generation reported no finished run; the strategy cannot plan the next generation`);
      generations.learn(runIndex, report.finished, report.feedback);
    }
    generations.endGeneration();
  }
  return { firsts, runsNeeded: range.count, runsDone, plansOfFirsts };
}

function indexesOf(range: RunRange): number[] {
  return Array.from({ length: range.count }, (_, position) => rangeIndex(range, position));
}
