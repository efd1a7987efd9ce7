import type { ChoiceHint } from './ChoiceSource.ts';

/**
 * What a recorded answer answered, without the answer: the number of options and what the hint said about them.
 * Strategies that edit recorded answers use it to know which answers are fault decisions (and where "fires"
 * starts), task orders, counts or ranges, and to tell whether a later run still asks the same question at the same
 * position. Plain data, so it crosses threads; a task hint's keys are left out to keep it small.
 */
export interface ChoiceShape {
  readonly optionCount: number;
  /** The hint's kind, `plain` without a hint. */
  readonly kind: ChoiceHint['kind'] | 'plain';
  /** The fault the choice belongs to, when the hint names one. */
  readonly fault?: string;
  /** For a fault point: the first answer that makes it fire. */
  readonly firesFrom?: number;
}

/** The shape of a choice with `optionCount` options and `hint`. */
export function shapeOf(optionCount: number, hint: ChoiceHint | undefined): ChoiceShape {
  if (hint === undefined) return { optionCount, kind: 'plain' };
  if (hint.kind === 'task') return { optionCount, kind: 'task' };
  if (hint.kind === 'fault') return { optionCount, kind: 'fault', fault: hint.fault, firesFrom: hint.firesFrom };
  return hint.fault === undefined ? { optionCount, kind: hint.kind } : { optionCount, kind: hint.kind, fault: hint.fault };
}

/** True when two shapes describe the same question (same options, same kind, same fault). */
export function sameShape(a: ChoiceShape, b: ChoiceShape): boolean {
  return a.optionCount === b.optionCount && a.kind === b.kind && a.fault === b.fault && a.firesFrom === b.firesFrom;
}

/** True when `answer` at a choice of this shape makes a fault fire. */
export function fires(shape: ChoiceShape, answer: number): boolean {
  return shape.kind === 'fault' && answer >= shape.firesFrom!;
}
