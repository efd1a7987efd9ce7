/**
 * How the runner learns of the wake issued when a wake ends by done with work still pending (the world's
 * `pending-wake` switch, historical-bugs.md O2, 503ccbfec):
 * - `event` (default): as the reference server does, the wake is issued and its wake event appended to the runner's
 *   wake stream; the done answer's `next_wake: true` says the same again.
 * - `answer-only`: the wake is issued (outstanding and claimable, the generation moves on) but no wake event is
 *   appended for it: the done answer's `next_wake: true` is the only signal. This is the dispatch upstream's O2
 *   implies: its runner, by ignoring `next_wake`, strands work that arrived while a claim was held, so nothing else
 *   tells it. Wakes issued by a write, by a release, by a lease expiry or by a restart of the service still append
 *   their event: nobody else could be told of them (docs/modelling-choices.md, "The wake a done leaves pending").
 */
export const PENDING_WAKES = ['event', 'answer-only'] as const;

export type PendingWake = (typeof PENDING_WAKES)[number];
