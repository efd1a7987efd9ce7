/**
 * What a choice is about, for strategies that treat choices differently (PCT orders tasks, swarm switches faults
 * off, the exhaustive search enumerates only the answers that can differ). Sources that draw uniformly ignore it.
 * Fault names are plain strings: the kernel knows no world vocabulary.
 */
export type ChoiceHint =
  /** Which of the tasks due at the same instant runs; `keys[i]` names option i's kind of task (actor and label). */
  | { readonly kind: 'task'; readonly keys: readonly string[] }
  /** Whether a fault fires: option 0 means no, and every option at or above `firesFrom` means yes. */
  | { readonly kind: 'fault'; readonly fault: string; readonly firesFrom: number }
  /** How many of something: every option is a different story (a count of faults, days or messages). */
  | { readonly kind: 'count'; readonly fault?: string }
  /** A time or a delay in a range: the extremes are the representative answers. */
  | { readonly kind: 'range'; readonly fault?: string };

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
   * Returns an integer in `[0, optionCount)`. A call with one option returns 0 and records nothing, so forced
   * moves never lengthen the recorded story (every source must follow this rule, or replays drift).
   */
  choose(optionCount: number, label: string, hint?: ChoiceHint): number;
  /** Every value returned so far for calls with more than one option, in order: the run's replayable identity. */
  readonly recorded: readonly number[];
}

/** Percent scale used by {@link choosePercent}: a probability is expressed as an integer number of percent. */
const PERCENT_SCALE = 100;

/**
 * Returns true with `percent` percent probability under a uniform source. The rare outcome sits at the top of
 * the range, so the shrinker's move toward 0 turns a fault off. `fault` names the fault for strategies.
 */
export function choosePercent(source: ChoiceSource, percent: number, label: string, fault = label): boolean {
  if (percent <= 0) return false;
  if (percent >= PERCENT_SCALE) return true;
  const firesFrom = PERCENT_SCALE - percent;
  return source.choose(PERCENT_SCALE, label, { kind: 'fault', fault, firesFrom }) >= firesFrom;
}

/** Returns an integer in `[minInclusive, maxInclusive]`; the minimum is the ordinary answer. */
export function chooseInRange(
  source: ChoiceSource,
  minInclusive: number,
  maxInclusive: number,
  label: string,
  hint: ChoiceHint = { kind: 'range' },
): number {
  return minInclusive + source.choose(maxInclusive - minInclusive + 1, label, hint);
}
