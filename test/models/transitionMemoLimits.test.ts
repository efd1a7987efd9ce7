import type { AnyMachineSnapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { MEMO_KEY_CHARS_LIMIT, TransitionMemo, type MemoisedStep } from '../../models/TransitionMemo.ts';

/** A stand-in snapshot: the memo reads only its value, status and context. */
const snapshot = (context: unknown): AnyMachineSnapshot => ({ value: 'a', status: 'active', context }) as unknown as AnyMachineSnapshot;
const stepTo = (next: AnyMachineSnapshot): MemoisedStep => ({ next, microsteps: [] });

describe('TransitionMemo limits', () => {
  it('forgets every memoised step once its interned keys pass the character limit, not only the step limit', () => {
    const memo = new TransitionMemo();
    const from = snapshot({ n: 0 });
    memo.storeStep(from, 'E', stepTo(snapshot({ n: 1 })));
    expect(memo.knownStep(from, 'E')).toBeDefined();
    // One step whose next state's context alone is longer than the limit: everything memoised before it is forgotten
    // at once (the step being stored is kept, in the fresh memo).
    const huge = snapshot({ text: 'x'.repeat(MEMO_KEY_CHARS_LIMIT) });
    memo.storeStep(from, 'F', stepTo(huge));
    expect(memo.knownStep(from, 'E')).toBeUndefined();
    expect(memo.knownStep(from, 'F')?.next).toBe(huge);
    // The count starts again: small steps stay memoised afterwards.
    memo.storeStep(from, 'E', stepTo(snapshot({ n: 1 })));
    expect(memo.knownStep(from, 'E')).toBeDefined();
    expect(memo.knownStep(from, 'F')?.next).toBe(huge);
  });

  it('keeps small steps memoised and interns equal next states as one', () => {
    const memo = new TransitionMemo();
    const from = snapshot({ n: 0 });
    const first = memo.storeStep(from, 'E', stepTo(snapshot({ n: 1 })));
    const second = memo.storeStep(from, 'G', stepTo(snapshot({ n: 1 })));
    expect(second.next).toBe(first.next);
    expect(memo.knownStep(from, 'E')).toBe(first);
  });
});
