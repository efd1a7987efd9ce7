import fc from 'fast-check';

/** Largest raw value the arbitrary draws; answers are folded into range, so this only needs to exceed every option count. */
const MAX_RAW_CHOICE = 0xffff;

/** Options of {@link choiceSequence}. */
export interface ChoiceSequenceOptions {
  /** Upper bound on the number of recorded answers; a run asking for more continues with ordinary answers. */
  maxLength?: number;
}

/**
 * A fast-check arbitrary of choice lists, the input of a {@link RecordedChoiceSource}. fast-check generates,
 * shrinks (shorter lists, values toward 0 = toward the ordinary run) and replays them like any other value.
 */
export function choiceSequence(options: ChoiceSequenceOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: MAX_RAW_CHOICE }), { maxLength: options.maxLength ?? 4000, size: 'max' });
}
