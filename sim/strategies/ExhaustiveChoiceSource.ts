import type { ChoiceHint } from '../choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../choice/RecordingChoiceSource.ts';
import { representativeAnswers } from './representativeAnswers.ts';

/** One choice point of an exhaustive run: how many representative answers it had and which one the run took. */
export interface ChoicePoint {
  readonly answerCount: number;
  readonly taken: number;
}

/** The same prefix led to a different choice point: something outside the choices changed the run. */
export class NondeterminismError extends Error {
  override name = 'NondeterminismError';
}

/**
 * The choice source of one run of the exhaustive search: it follows a prefix of representative-answer indexes
 * (the branch the search is on) and answers 0, the ordinary answer, at every choice point after it, recording each
 * point so the search can plan the next branch. Points past `maxChoicePoints` are answered 0 and not recorded for
 * branching; `cutByDepth` says whether any of them could have gone another way.
 */
export class ExhaustiveChoiceSource extends RecordingChoiceSource {
  private readonly taken: ChoicePoint[] = [];
  cutByDepth = false;

  constructor(
    private readonly prefix: readonly ChoicePoint[],
    private readonly maxChoicePoints: number,
  ) {
    super();
  }

  /** How many choice points the branch this run follows was planned on. */
  get plannedPoints(): number {
    return this.prefix.length;
  }

  /** The branchable choice points of this run, in order. */
  get points(): readonly ChoicePoint[] {
    return this.taken;
  }

  protected answer(optionCount: number, label: string, hint: ChoiceHint | undefined): number {
    const answers = representativeAnswers(optionCount, hint);
    const index = this.taken.length;
    let taken = 0;
    if (index < this.prefix.length) {
      const planned = this.prefix[index]!;
      if (planned.answerCount !== answers.length) {
        throw new NondeterminismError(
          `exhaustive search: choice point ${index} ("${label}") had ${planned.answerCount} answers on an earlier run and ${answers.length} now; the run depends on something besides its choices`,
        );
      }
      taken = planned.taken;
    }
    if (index < this.maxChoicePoints) this.taken.push({ answerCount: answers.length, taken });
    else if (answers.length > 1) this.cutByDepth = true;
    return answers[taken]!;
  }
}
