import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { ExhaustiveChoiceSource, NondeterminismError, type ChoicePoint } from './ExhaustiveChoiceSource.ts';
import type { SearchStrategy, StrategyFigures } from './SearchStrategy.ts';

/** Bounds of the exhaustive search. */
export interface ExhaustiveBounds {
  /**
   * Choice points per run that may take a non-ordinary answer (a task other than the first due, a fault, a count
   * above 0, the long end of a delay): the analogue of a preemption bound.
   */
  readonly maxDeviations: number;
  /** Choice points per run the search branches on; later ones take the ordinary answer. */
  readonly maxChoicePoints: number;
}

export const DEFAULT_EXHAUSTIVE_BOUNDS: ExhaustiveBounds = { maxDeviations: 3, maxChoicePoints: 2_000 };

/**
 * Depth-first search over the tree of representative answers (stateless, in the manner of CHESS: each run replays
 * the branch's prefix from the start, so nothing but the choices needs to be saved). Branches are taken in order,
 * ordinary answers first, and a branch that would exceed the deviation bound is skipped and noted, so the report
 * can say whether the space was covered completely or only up to the bound.
 */
export class ExhaustiveStrategy implements SearchStrategy {
  readonly name = 'exhaustive';
  readonly runsAreIndependent = false;
  /** The branch the next run follows; undefined once every branch within the bounds was run. */
  private nextPrefix: readonly ChoicePoint[] | undefined = [];
  private schedules = 0;
  private cutByDeviations = false;
  private cutByDepth = false;

  constructor(private readonly bounds: ExhaustiveBounds = DEFAULT_EXHAUSTIVE_BOUNDS) {}

  /** True once every schedule within the bounds has been run. */
  get exhausted(): boolean {
    return this.nextPrefix === undefined;
  }

  sourceForRun(_runIndex: number): ChoiceSource | undefined {
    return this.nextPrefix === undefined ? undefined : new ExhaustiveChoiceSource(this.nextPrefix, this.bounds.maxChoicePoints);
  }

  runFinished(_runIndex: number, source: ChoiceSource): void {
    if (!(source instanceof ExhaustiveChoiceSource)) throw new Error('exhaustive search was handed a run it did not plan');
    if (source.points.length < source.plannedPoints) {
      // The run ended before the branch it was sent down: that branch does not exist in this run, so the tree seen
      // so far was not a function of the answers alone.
      throw new NondeterminismError(
        `exhaustive search: a run ended after ${source.points.length} choice points, before the ${source.plannedPoints} its branch was planned on; the run depends on something besides its choices`,
      );
    }
    this.schedules += 1;
    if (source.cutByDepth) this.cutByDepth = true;
    this.nextPrefix = this.nextBranch(source.points);
  }

  figures(): StrategyFigures {
    return {
      schedulesCovered: this.schedules,
      exhausted: this.exhausted,
      boundCut: this.cutByDeviations || this.cutByDepth,
      maxDeviations: this.bounds.maxDeviations,
      maxChoicePoints: this.bounds.maxChoicePoints,
    };
  }

  /** The deepest point that can still take its next answer within the deviation bound, with the prefix before it. */
  private nextBranch(points: readonly ChoicePoint[]): ChoicePoint[] | undefined {
    const deviationsBefore: number[] = [];
    let deviations = 0;
    for (const point of points) {
      deviationsBefore.push(deviations);
      if (point.taken > 0) deviations += 1;
    }
    for (let index = points.length - 1; index >= 0; index -= 1) {
      const point = points[index]!;
      if (point.taken + 1 >= point.answerCount) continue;
      if (deviationsBefore[index]! + 1 > this.bounds.maxDeviations) {
        this.cutByDeviations = true;
        continue;
      }
      return [...points.slice(0, index), { answerCount: point.answerCount, taken: point.taken + 1 }];
    }
    return undefined;
  }
}
