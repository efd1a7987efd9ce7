import type { FinishedRun } from '../strategies/PlannedChoiceSource.ts';
import type { RunFeedback } from '../strategies/RunFeedback.ts';
import { rangeIndex, runsUpTo, subRange, type RunRange } from './runRange.ts';

/** The runs of one batch that showed a key first (within the batch), e.g. a property a run violated. */
export interface BatchHit {
  readonly key: string;
  readonly runIndex: number;
}

/** What one run of a batch reached, for coverage figures and for strategies that learn from runs. */
export interface RunReport {
  readonly runIndex: number;
  readonly feedback: RunFeedback;
  /** The run's answers and their shapes, for a strategy that plans in generations; absent otherwise. */
  readonly finished?: FinishedRun;
}

/** What one batch of runs saw. */
export interface BatchOutcome {
  /** Runs the batch executed (it may stop early once every key has a hit). */
  readonly runsDone: number;
  /**
   * For each key some run of the batch showed, the lowest such run index of the batch. A batch may stop as soon as
   * every key has a hit, but must not skip a run before that.
   */
  readonly hits: readonly BatchHit[];
  /** Per executed run, what it reached, when the search asked for it. */
  readonly runs?: readonly RunReport[];
}

/** Options of {@link scanRange}. */
export interface ScanRangeOptions {
  readonly range: RunRange;
  /** The keys looked for; once each has a hit, runs after the last of them are not needed. */
  readonly keys: readonly string[];
  /** Runs per batch. */
  readonly batchSize: number;
  /** Batches in flight at once (1: one after the other). */
  readonly concurrency: number;
  /** Runs a batch (in this thread or a worker) and reports its hits. */
  readonly runBatch: (batch: RunRange) => Promise<BatchOutcome>;
  /** Called as each batch ends, in the order they end (e.g. for progress). */
  readonly onBatch?: (outcome: BatchOutcome, batch: RunRange) => void;
}

/** The first run index of every key that any run of the range showed. */
export interface ScanRangeOutcome {
  readonly firsts: ReadonlyMap<string, number>;
  /**
   * Runs of the range that one sequential scan would have executed: up to and including the last first hit when
   * every key was hit, the whole range otherwise. Independent of batch size, concurrency and timing.
   */
  readonly runsNeeded: number;
  /** Runs actually executed, speculative ones included (differs between batchings; for progress and benchmarks). */
  readonly runsDone: number;
}

/**
 * Scans a range of run indexes in batches, several at once, and keeps for every key the lowest run index that
 * showed it. Batches are dispatched in index order; once every key has a hit, no batch starting after the last of
 * those first hits is dispatched, and every batch already dispatched is awaited. Whatever order batches end in,
 * the outcome is the one a sequential scan stopping at the same point gives: a lower hit can only sit in a batch
 * that starts before the current cut-off, and every such batch is run to its end (or to its own hits of every key).
 */
export async function scanRange(options: ScanRangeOptions): Promise<ScanRangeOutcome> {
  const { range, keys } = options;
  const batchSize = Math.max(1, Math.floor(options.batchSize));
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const firsts = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let runsDone = 0;
  let nextPosition = 0;
  let failure: { error: unknown } | undefined;

  const cutOff = (): number => (keys.length > 0 && keys.every((key) => firsts.has(key)) ? Math.max(...keys.map((key) => firsts.get(key)!)) : Infinity);
  const dispatch = (batch: RunRange): void => {
    const running: Promise<void> = options
      .runBatch(batch)
      .then((outcome) => {
        runsDone += outcome.runsDone;
        for (const hit of outcome.hits) {
          const known = firsts.get(hit.key);
          if (known === undefined || hit.runIndex < known) firsts.set(hit.key, hit.runIndex);
        }
        options.onBatch?.(outcome, batch);
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  for (;;) {
    while (!failure && inFlight.size < concurrency && nextPosition < range.count && rangeIndex(range, nextPosition) <= cutOff()) {
      dispatch(subRange(range, nextPosition, batchSize));
      nextPosition += batchSize;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  if (failure) throw failure.error;
  const last = cutOff();
  return { firsts, runsNeeded: last === Infinity ? range.count : runsUpTo(range, last), runsDone };
}
