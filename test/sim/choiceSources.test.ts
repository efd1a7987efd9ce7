import { describe, expect, it } from 'vitest';
import { choosePercent, chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';

describe('RandomChoiceSource', () => {
  it('gives the same answers for the same seed and records them', () => {
    const a = new RandomChoiceSource(42);
    const b = new RandomChoiceSource(42);
    const answersA = Array.from({ length: 50 }, () => a.choose(7, 'x'));
    const answersB = Array.from({ length: 50 }, () => b.choose(7, 'x'));
    expect(answersA).toEqual(answersB);
    expect(a.recorded).toEqual(answersA);
    expect(new Set(answersA).size).toBeGreaterThan(3);
    expect(answersA.every((value) => value >= 0 && value < 7)).toBe(true);
  });

  it('consumes nothing for a forced move', () => {
    const source = new RandomChoiceSource(1);
    expect(source.choose(1, 'only option')).toBe(0);
    expect(source.recorded).toEqual([]);
  });
});

describe('RecordedChoiceSource', () => {
  it('replays, folds out-of-range values, and answers 0 past the end', () => {
    const source = new RecordedChoiceSource([2, 9, 1]);
    expect(source.choose(5, 'a')).toBe(2);
    expect(source.choose(4, 'b')).toBe(1); // 9 % 4
    expect(source.choose(3, 'c')).toBe(1);
    expect(source.choose(3, 'd')).toBe(0);
    expect(source.recorded).toEqual([2, 1, 1, 0]);
    expect(source.answersPastScript).toBe(1);
  });

  it('replaying what a random source recorded reproduces its answers', () => {
    const random = new RandomChoiceSource(7);
    const sizes = [3, 10, 2, 100, 6, 1, 9];
    const first = sizes.map((size) => random.choose(size, 's'));
    const replayed = new RecordedChoiceSource(random.recorded);
    expect(sizes.map((size) => replayed.choose(size, 's'))).toEqual(first);
  });
});

describe('choice helpers', () => {
  it('choosePercent fires only at the top of the range, so 0 means no fault', () => {
    expect(choosePercent(new RecordedChoiceSource([0]), 30, 'f')).toBe(false);
    expect(choosePercent(new RecordedChoiceSource([69]), 30, 'f')).toBe(false);
    expect(choosePercent(new RecordedChoiceSource([70]), 30, 'f')).toBe(true);
    expect(choosePercent(new RecordedChoiceSource([99]), 0, 'f')).toBe(false);
  });

  it('chooseInRange maps 0 to the minimum', () => {
    expect(chooseInRange(new RecordedChoiceSource([]), 5, 9, 'r')).toBe(5);
    expect(chooseInRange(new RecordedChoiceSource([4]), 5, 9, 'r')).toBe(9);
  });
});
