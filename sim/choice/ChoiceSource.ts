/**
 * The one door through which every nondeterministic decision of a simulated run passes: which pending task runs
 * next, whether a fault fires, how long a delivery takes. Two runs that receive the same answers from their
 * choice sources are the same run, byte for byte.
 *
 * Convention that makes shrinking work: option 0 is always the most ordinary answer (the earliest task, no fault,
 * the shortest delay). A shrinker that pushes recorded values toward 0 therefore pushes the story toward the
 * fault-free, in-order run, and an exhausted recorded list continues as that ordinary run.
 */
export interface ChoiceSource {
  /**
   * Returns an integer in `[0, optionCount)`. A call with one option returns 0 and consumes nothing, so forced
   * moves never lengthen the recorded story.
   */
  choose(optionCount: number, label: string): number;
  /** Every value returned so far for calls with more than one option, in order: the run's replayable identity. */
  readonly recorded: readonly number[];
}

/** Percent scale used by {@link choosePercent}: a probability is expressed as an integer number of percent. */
const PERCENT_SCALE = 100;

/**
 * Returns true with `percent` percent probability under a uniform source. The rare outcome sits at the top of
 * the range, so the shrinker's move toward 0 turns a fault off.
 */
export function choosePercent(source: ChoiceSource, percent: number, label: string): boolean {
  if (percent <= 0) return false;
  if (percent >= PERCENT_SCALE) return true;
  return source.choose(PERCENT_SCALE, label) >= PERCENT_SCALE - percent;
}

/** Returns an integer in `[minInclusive, maxInclusive]`; the minimum is the ordinary answer. */
export function chooseInRange(source: ChoiceSource, minInclusive: number, maxInclusive: number, label: string): number {
  return minInclusive + source.choose(maxInclusive - minInclusive + 1, label);
}
