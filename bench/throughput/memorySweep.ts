import { sweep } from '../../sim/explore/sweep.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { runScenario } from '../../scenarios/runScenario.ts';

/** Memory after a share of a sweep. */
export interface MemoryMark {
  readonly percent: number;
  readonly runs: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Wall time since the sweep started, when the mark was taken. */
  readonly elapsedSeconds: number;
}

const MIB = 1024 * 1024;

/**
 * Runs a sweep of `runs` runs of `spec` (as `explore` does, results dropped) and reads RSS and used heap after each
 * tenth of it, after a full collection when the process exposes `gc` (`node --expose-gc`), so a growing heap shows as
 * growth and not as garbage not yet collected. `onMark` sees each mark as it is taken, so a sweep of hours can be
 * read while it runs.
 */
export async function memorySweep(spec: RunSpec, runs: number, onMark?: (mark: MemoryMark) => void): Promise<MemoryMark[]> {
  const marks: MemoryMark[] = [];
  const tenth = Math.max(1, Math.floor(runs / 10));
  const collect = (globalThis as { gc?: () => void }).gc;
  const startedMs = performance.now();
  await sweep({
    maxRuns: runs,
    strategy: new RandomStrategy(7),
    run: (choices) => runScenario(spec, choices),
    isFinding: () => false,
    onRun: (index) => {
      const done = index + 1;
      if (done % tenth !== 0 && done !== runs) return;
      if (marks.length > 0 && marks[marks.length - 1]!.runs === done) return;
      collect?.();
      const usage = process.memoryUsage();
      const mark = {
        percent: Math.round((done * 100) / runs),
        runs: done,
        rssMiB: usage.rss / MIB,
        heapUsedMiB: usage.heapUsed / MIB,
        elapsedSeconds: (performance.now() - startedMs) / 1000,
      };
      marks.push(mark);
      onMark?.(mark);
    },
  });
  return marks;
}
