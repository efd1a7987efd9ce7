import type { ChoiceSource } from './ChoiceSource.ts';

/**
 * Replays a list of answers. A value out of range is folded into range (`value % optionCount`), and once the list
 * is used up every further answer is 0, the ordinary option. Both rules let a shrinker edit the list freely: any
 * list of naturals is a valid story.
 */
export class RecordedChoiceSource implements ChoiceSource {
  private readonly values: number[] = [];
  private cursor = 0;

  constructor(private readonly script: readonly number[]) {}

  get recorded(): readonly number[] {
    return this.values;
  }

  /** How many answers were asked for after the script ran out (each answered with 0). */
  get answersPastScript(): number {
    return Math.max(0, this.values.length - this.script.length);
  }

  choose(optionCount: number, _label: string): number {
    if (optionCount <= 1) return 0;
    const raw = this.cursor < this.script.length ? this.script[this.cursor]! : 0;
    this.cursor += 1;
    const value = raw % optionCount;
    this.values.push(value);
    return value;
  }
}
