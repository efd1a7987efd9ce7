import type { ChoiceHint } from '../choice/ChoiceSource.ts';

/** Choices without a hint enumerate every answer up to this many options, and only the extremes above it. */
const MAX_ENUMERATED_UNHINTED_OPTIONS = 4;

/**
 * The answers that can make a difference at a choice, ordinary answer (0) first: every task, the two outcomes of a
 * fault point, every count, and the two extremes of a time or delay range. The exhaustive search enumerates these
 * and nothing else, which is what keeps a 100-option fault point from multiplying the space by 100.
 */
export function representativeAnswers(optionCount: number, hint: ChoiceHint | undefined): readonly number[] {
  if (optionCount <= 1) return [0];
  switch (hint?.kind) {
    case 'task':
    case 'count':
      return range(optionCount);
    case 'fault':
      return [0, hint.firesFrom];
    case 'range':
      return [0, optionCount - 1];
    default:
      return optionCount <= MAX_ENUMERATED_UNHINTED_OPTIONS ? range(optionCount) : [0, optionCount - 1];
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
