import type { ChoiceHint, ChoiceSource } from './ChoiceSource.ts';

/**
 * The part every choice source shares, kept in one place because replay depends on it: a call with one option is a
 * forced move that returns 0 and records nothing; every other answer is recorded in call order. Subclasses decide
 * only the answer.
 */
export abstract class RecordingChoiceSource implements ChoiceSource {
  private readonly values: number[] = [];

  get recorded(): readonly number[] {
    return this.values;
  }

  choose(optionCount: number, label: string, hint?: ChoiceHint): number {
    if (optionCount <= 1) return 0;
    const value = this.answer(optionCount, label, hint);
    this.values.push(value);
    return value;
  }

  /** The answer, in `[0, optionCount)`, to a choice with at least two options. */
  protected abstract answer(optionCount: number, label: string, hint: ChoiceHint | undefined): number;
}
