import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { fires, type ChoiceShape } from '../../choice/ChoiceShape.ts';
import type { FinishedRun } from '../PlannedChoiceSource.ts';

/** The ways a guided run is derived from a corpus entry. */
export type MutationName = 'change' | 'insert-fault' | 'remove-fault' | 'move-fault' | 'splice' | 'truncate';

/**
 * Relative weights of the operators. Fault edits get the largest share: which faults fire, and when, is what most of
 * a run's story turns on, and a uniform source places a fault at a given point only at the fault's rate.
 */
const OPERATOR_WEIGHTS: ReadonlyArray<readonly [MutationName, number]> = [
  ['change', 25],
  ['insert-fault', 20],
  ['move-fault', 15],
  ['remove-fault', 10],
  ['splice', 15],
  ['truncate', 15],
];
const TOTAL_OPERATOR_WEIGHT = OPERATOR_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
/** Operators stacked on one run at most (AFL's havoc): 1, 2 or this many, the smaller counts more often. */
const MAX_STACKED_OPERATORS = 4;
/** Chance, in percent, that `change` picks a fault point when the run has one, rather than any answer. */
const CHANGE_FAULT_PERCENT = 50;
/** A fault moves to one of this many nearest points of the same fault in the chosen direction. */
const MOVE_WINDOW_POINTS = 8;

/** A run's answers and their shapes, being edited (the same length, position for position). */
interface Draft {
  answers: number[];
  shapes: ChoiceShape[];
}

/**
 * Derives the answers a new run starts from out of a corpus entry: one to {@link MAX_STACKED_OPERATORS} operators,
 * each chosen by weight. `partner` is the other run a splice takes its tail from. The result is a prefix: the run
 * replays it while it asks the same questions, then continues with seeded answers (PlannedChoiceSource), so an edit
 * that sends the run elsewhere keeps the parent's story up to the edit and explores freely after it.
 */
export function mutateRun(parent: FinishedRun, partner: FinishedRun | undefined, rng: RandomGenerator): FinishedRun {
  const draft: Draft = { answers: [...parent.answers], shapes: [...parent.shapes] };
  const roll = uniformInt(rng, 0, 3);
  const stacked = roll < 2 ? 1 : roll < 3 ? 2 : MAX_STACKED_OPERATORS;
  for (let applied = 0; applied < stacked; applied += 1) applyOperator(draft, pickOperator(rng), partner, rng);
  return draft;
}

function pickOperator(rng: RandomGenerator): MutationName {
  let target = uniformInt(rng, 0, TOTAL_OPERATOR_WEIGHT - 1);
  for (const [name, weight] of OPERATOR_WEIGHTS) {
    if (target < weight) return name;
    target -= weight;
  }
  return 'change';
}

function applyOperator(draft: Draft, name: MutationName, partner: FinishedRun | undefined, rng: RandomGenerator): void {
  switch (name) {
    case 'change':
      return change(draft, rng);
    case 'insert-fault':
      return setSomeFault(draft, rng, false);
    case 'remove-fault':
      return setSomeFault(draft, rng, true);
    case 'move-fault':
      return moveFault(draft, rng);
    case 'splice':
      return splice(draft, partner, rng);
    case 'truncate':
      return truncate(draft, rng);
  }
}

/** Positions whose shape and answer satisfy `test`. */
function positions(draft: Draft, test: (shape: ChoiceShape, answer: number) => boolean): number[] {
  const found: number[] = [];
  for (let position = 0; position < draft.shapes.length; position += 1) if (test(draft.shapes[position]!, draft.answers[position]!)) found.push(position);
  return found;
}

const pickFrom = (rng: RandomGenerator, list: readonly number[]): number => list[uniformInt(rng, 0, list.length - 1)]!;

/** Another answer to one question: a fault point flips, a range jumps (to an end, anywhere, or nearby), others move. */
function otherAnswer(shape: ChoiceShape, answer: number, rng: RandomGenerator): number {
  const last = shape.optionCount - 1;
  if (shape.kind === 'fault') return fires(shape, answer) ? 0 : firingAnswer(shape, rng);
  if (shape.kind === 'range') {
    const pick = uniformInt(rng, 0, 3);
    if (pick === 0) return answer === 0 ? last : 0;
    if (pick === 1) return answer === last ? 0 : last;
    if (pick === 2) return uniformInt(rng, 0, last);
    return shiftedAnswer(shape, answer, rng);
  }
  const other = uniformInt(rng, 0, last - 1);
  return other >= answer ? other + 1 : other;
}

const firingAnswer = (shape: ChoiceShape, rng: RandomGenerator): number => uniformInt(rng, shape.firesFrom!, shape.optionCount - 1);

/**
 * A time or delay moved earlier or later by a distance drawn log-uniformly up to the whole range: as often by a few
 * units as by a few thousand, so a fault that landed near a moment that matters can be nudged onto it, and one that
 * landed far from everything can jump.
 */
function shiftedAnswer(shape: ChoiceShape, answer: number, rng: RandomGenerator): number {
  const last = shape.optionCount - 1;
  const maxBits = Math.max(1, Math.ceil(Math.log2(last + 1)));
  const bits = uniformInt(rng, 0, maxBits - 1);
  const delta = (2 ** bits) + uniformInt(rng, 0, 2 ** bits - 1);
  const moved = uniformInt(rng, 0, 1) === 0 ? answer - delta : answer + delta;
  return Math.min(last, Math.max(0, moved));
}

/** Changes one answer; half the time one at a fault point, when the run has any. */
function change(draft: Draft, rng: RandomGenerator): void {
  if (draft.answers.length === 0) return;
  const faultPoints = positions(draft, (shape) => shape.kind === 'fault');
  const position =
    faultPoints.length > 0 && uniformInt(rng, 0, 99) < CHANGE_FAULT_PERCENT ? pickFrom(rng, faultPoints) : uniformInt(rng, 0, draft.answers.length - 1);
  draft.answers[position] = otherAnswer(draft.shapes[position]!, draft.answers[position]!, rng);
}

/**
 * Flips one fault point: one that fired stops firing (`firedBefore` true), or one that did not fire fires. With no
 * such point, changes some answer instead.
 */
function setSomeFault(draft: Draft, rng: RandomGenerator, firedBefore: boolean): void {
  const candidates = positions(draft, (shape, answer) => shape.kind === 'fault' && fires(shape, answer) === firedBefore);
  if (candidates.length === 0) return change(draft, rng);
  const position = pickFrom(rng, candidates);
  draft.answers[position] = firedBefore ? 0 : firingAnswer(draft.shapes[position]!, rng);
}

/**
 * Moves a fault earlier or later: a fault that fired fires instead at one of the nearest points of the same fault in
 * one direction, or a fault's time or delay shifts; with nothing to move, a fault is inserted.
 */
function moveFault(draft: Draft, rng: RandomGenerator): void {
  const movable = positions(draft, (shape, answer) => fires(shape, answer) || (shape.kind === 'range' && shape.fault !== undefined));
  if (movable.length === 0) return setSomeFault(draft, rng, false);
  // The fault first, then one of its points: a fault with one or two timed points gets as many moves as one with a
  // point per message sent.
  const faults = [...new Set(movable.map((position) => draft.shapes[position]!.fault!))];
  const fault = faults[uniformInt(rng, 0, faults.length - 1)]!;
  const from = pickFrom(rng, movable.filter((position) => draft.shapes[position]!.fault === fault));
  const shape = draft.shapes[from]!;
  if (shape.kind === 'range') {
    draft.answers[from] = shiftedAnswer(shape, draft.answers[from]!, rng);
    return;
  }
  const later = uniformInt(rng, 0, 1) === 1;
  const samePoints = positions(draft, (other, answer) => other.kind === 'fault' && other.fault === shape.fault && !fires(other, answer));
  const ahead = samePoints.filter((position) => (later ? position > from : position < from));
  const window = later ? ahead.slice(0, MOVE_WINDOW_POINTS) : ahead.slice(-MOVE_WINDOW_POINTS);
  const candidates = window.length > 0 ? window : samePoints;
  if (candidates.length === 0) return;
  const to = pickFrom(rng, candidates);
  draft.answers[to] = draft.answers[from]!;
  draft.answers[from] = 0;
}

/** Keeps the head of the run up to a random point and takes the rest from `partner`, position for position. */
function splice(draft: Draft, partner: FinishedRun | undefined, rng: RandomGenerator): void {
  if (partner === undefined || partner.answers.length < 2 || draft.answers.length < 2) return truncate(draft, rng);
  const cut = uniformInt(rng, 1, Math.min(draft.answers.length, partner.answers.length) - 1);
  draft.answers = [...draft.answers.slice(0, cut), ...partner.answers.slice(cut)];
  draft.shapes = [...draft.shapes.slice(0, cut), ...partner.shapes.slice(cut)];
}

/** Keeps the head of the run up to a random point; the rest is drawn afresh. */
function truncate(draft: Draft, rng: RandomGenerator): void {
  if (draft.answers.length === 0) return;
  const cut = uniformInt(rng, 0, draft.answers.length - 1);
  draft.answers.length = cut;
  draft.shapes.length = cut;
}
