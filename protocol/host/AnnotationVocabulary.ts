/**
 * A set of annotations a runtime promises to record about itself, with fixed meanings, so that the models of a
 * runtime's internals can follow it (models/runtime/). A runtime declares the vocabularies it speaks on
 * `RuntimeUnderTest.annotations`; one that declares none is judged by the system models alone, which read only what
 * the simulated services observed and what the scenario's entity code saw.
 *
 * - `runner-lifecycle`: `runner-start` (runnerId, startOffset, registeredOffset), `runner-state` (state: connecting,
 *   streaming, reconnecting, stopping, stopped), `wake-read` (subscription, generation of each wake event read),
 *   `claim-settled` (subscription, generation, outcome: `dispatched` or why not), in the order they happen.
 * - `wiring-chain`: `wake-start` (wakeId), `observe-called` (sharedId, created), `preload-failed` (sharedId,
 *   restored), `handle-wired` (sharedId, restored, empty), `wiring-failed`, `manifest-committed`, `wake-failed`,
 *   `wake-acked`, `ack-failed`, `wake-abandoned` (wakeId), as semantics.md §1 describes processWake. The steps in
 *   between should name their wake too (`wakeId`): a wake that has not yet noticed it lost its lease can run beside
 *   the next one in the same process, and only the id tells the models whose step it is (without it they guess).
 *   A runtime that gives a wake up when it loses its claim says so first: `lease-lost` (wakeId).
 *   The entity code's `observe-resolved` probe names it the same way.
 */
export type AnnotationVocabulary = 'runner-lifecycle' | 'wiring-chain';

/** Every vocabulary a runtime can declare, in a fixed order. */
export const ANNOTATION_VOCABULARIES: readonly AnnotationVocabulary[] = ['runner-lifecycle', 'wiring-chain'];
