import type { AnyMachineSnapshot, AnyTransitionDefinition } from 'xstate';

/** One microstep XState took while computing a step, as its inspection API showed it. */
export interface RecordedMicrostep {
  readonly transitions: readonly AnyTransitionDefinition[];
  /** The snapshot after the microstep (an observer reads which states it is in). */
  readonly snapshot: AnyMachineSnapshot;
}

/** What one machine step produced: the next snapshot (undefined when the machine cannot take the event) and its microsteps. */
export interface MemoisedStep {
  readonly next: AnyMachineSnapshot | undefined;
  readonly microsteps: readonly RecordedMicrostep[];
}

/**
 * How many memoised steps one machine keeps before it forgets them all: enough for the composed model's reachable
 * states under every event a sweep shows, few enough that a million-run sweep keeps flat memory.
 */
export const MEMO_STEP_LIMIT = 10_000;

/**
 * Characters of interned snapshot keys one machine keeps before it forgets every memoised step. The step limit alone
 * does not bound memory: a key is the snapshot's whole context, and a context that grows along a run (the wake
 * stream's list of appended wakes, in a run that wakes its entity thousands of times) makes each key longer than the
 * last, so ten thousand of them held gigabytes (the mutant `v04-ack-at-claimed-offset`, docs/mutants.md). 32 Mi
 * characters is about 32 MB of one-byte strings. Ordinary sweeps stay below it — at most 14.6 million characters when
 * the step limit forgot a memo, in 1,500 random runs of the hardened v0.4 runtime under `--faults all` — so for them the
 * step limit still decides when the memo is forgotten. Forgetting never changes a result, only what is recomputed.
 */
export const MEMO_KEY_CHARS_LIMIT = 32 * 1024 * 1024;

/**
 * Memoised steps of one XState machine. The models are pure — guards read only the snapshot and the event, actions
 * only assign — so a step is a function of (state value, context, event) and can be computed once and replayed, with
 * its microsteps, to every later caller. Snapshots are interned by their content (state value, status, context): two
 * runs that reach the same machine state share one snapshot object, and a step from it is found by object identity
 * and the event's canonical text, without serialising the context again.
 */
export class TransitionMemo {
  private steps = new WeakMap<AnyMachineSnapshot, Map<string, MemoisedStep>>();
  private interned = new Map<string, AnyMachineSnapshot>();
  private initials = new Map<string, MemoisedStep>();
  private stored = 0;
  private keyChars = 0;

  /** The memoised initial snapshot for `input` (its canonical text), if known. */
  knownInitial(inputKey: string): MemoisedStep | undefined {
    return this.initials.get(inputKey);
  }

  /** Stores a computed initial snapshot; returns it as later callers will get it (interned). */
  storeInitial(inputKey: string, computed: MemoisedStep): MemoisedStep {
    const interned = this.intern(computed);
    this.remember();
    this.initials.set(inputKey, interned);
    return interned;
  }

  /**
   * The memoised step of `snapshot` under the event whose canonical text is `eventKey`, if known. (Lookup and store
   * are two calls, not one taking a callback: a closure made per step costs more than the lookup.)
   */
  knownStep(snapshot: AnyMachineSnapshot, eventKey: string): MemoisedStep | undefined {
    return this.steps.get(snapshot)?.get(eventKey);
  }

  /** Stores a computed step; returns it as later callers will get it (interned). */
  storeStep(snapshot: AnyMachineSnapshot, eventKey: string, computed: MemoisedStep): MemoisedStep {
    const interned = this.intern(computed);
    this.remember();
    let byEvent = this.steps.get(snapshot);
    if (!byEvent) {
      byEvent = new Map();
      this.steps.set(snapshot, byEvent);
    }
    byEvent.set(eventKey, interned);
    return interned;
  }

  /** Replaces the step's next snapshot by an equal one met before, so equal states converge on one memo entry. */
  private intern(step: MemoisedStep): MemoisedStep {
    if (!step.next) return step;
    const key = snapshotKey(step.next);
    const known = this.interned.get(key);
    if (known) return { next: known, microsteps: step.microsteps };
    this.interned.set(key, step.next);
    this.keyChars += key.length;
    return step;
  }

  /**
   * Counts a stored step; past either limit (steps, key characters) every memoised step is forgotten (snapshots in use
   * stay valid).
   */
  private remember(): void {
    this.stored += 1;
    if (this.stored <= MEMO_STEP_LIMIT && this.keyChars <= MEMO_KEY_CHARS_LIMIT) return;
    this.steps = new WeakMap();
    this.interned = new Map();
    this.initials = new Map();
    this.stored = 0;
    this.keyChars = 0;
  }
}

/**
 * The canonical text of a snapshot's content. `undefined` is written out (JSON would drop the key) so a context
 * field that is absent and one that is undefined never share a key.
 */
function snapshotKey(snapshot: AnyMachineSnapshot): string {
  return JSON.stringify([snapshot.value, snapshot.status, snapshot.context], (_key, value: unknown) => (value === undefined ? '\u0000undefined' : value));
}
