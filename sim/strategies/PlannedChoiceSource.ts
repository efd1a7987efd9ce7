import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { sameShape, shapeOf, type ChoiceShape } from '../choice/ChoiceShape.ts';
import type { ChoiceHint } from '../choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../choice/RecordingChoiceSource.ts';
import { SwarmAnswers } from './SwarmAnswers.ts';

/**
 * How one run gets its answers: a prefix of answers to replay, the shape each was given for, and how the answers
 * after it are drawn. Plain data, so a plan made in one thread runs the same in another.
 */
export interface RunPlan {
  readonly answers: readonly number[];
  /** `shapes[i]` is the question `answers[i]` answered when it was recorded; same length as `answers`. */
  readonly shapes: readonly ChoiceShape[];
  /** The seed of the answers after the prefix. */
  readonly seed: number;
  /** How they are drawn: uniformly, as the random strategy draws, or as a swarm run of that seed ({@link SwarmAnswers}). */
  readonly continueWith: 'uniform' | 'swarm';
}

/** A finished run as a strategy keeps it: the answers it consumed and the shape of each. */
export interface FinishedRun {
  readonly answers: readonly number[];
  readonly shapes: readonly ChoiceShape[];
}

/**
 * Replays a plan's prefix while the run asks the questions the prefix was recorded for, and draws the answers from
 * the plan's seed once the prefix is used up or the run asks something else at some position (an edited answer made
 * the run take another path, so the rest of the prefix no longer fits). With an empty prefix it answers exactly as a
 * `RandomChoiceSource` (uniform) or a `SwarmChoiceSource` (swarm) of the same seed. Answers are recorded as by every
 * source, so the run replays from its recorded list alone, not from the plan.
 */
export class PlannedChoiceSource extends RecordingChoiceSource {
  private readonly rng: RandomGenerator;
  private readonly swarm: SwarmAnswers | undefined;
  private readonly shapes: ChoiceShape[] = [];
  /** Position of the first answer not taken from the prefix, once the run left it. */
  private leftPrefixAt: number | undefined;

  constructor(private readonly plan: RunPlan) {
    super();
    this.rng = xoroshiro128plus(plan.seed);
    this.swarm = plan.continueWith === 'swarm' ? new SwarmAnswers(plan.seed) : undefined;
  }

  /** How many answers came from the plan's prefix. */
  get replayedAnswers(): number {
    return this.leftPrefixAt ?? Math.min(this.shapes.length, this.plan.answers.length);
  }

  /** The run as a strategy keeps it (call once the run ended). */
  finished(): FinishedRun {
    return { answers: [...this.recorded], shapes: [...this.shapes] };
  }

  protected answer(optionCount: number, _label: string, hint: ChoiceHint | undefined): number {
    const shape = shapeOf(optionCount, hint);
    const position = this.shapes.length;
    this.shapes.push(shape);
    if (this.leftPrefixAt === undefined && position < this.plan.answers.length) {
      if (sameShape(shape, this.plan.shapes[position]!)) return this.plan.answers[position]! % optionCount;
      this.leftPrefixAt = position;
    }
    return this.swarm ? this.swarm.answer(optionCount, hint) : uniformInt(this.rng, 0, optionCount - 1);
  }
}
