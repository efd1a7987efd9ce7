/**
 * How the agents server keys the `runFinished` wake registrations of an observed child (the world's `run-finished-key`
 * switch, historical-bugs.md B11, dffbf62cb / #4400). A spawn with `wake: runFinished` registers a server wake, and
 * the parent's manifest, which lists the observed child, registers one too; the registry deduplicates registrations
 * by their manifest key:
 * - `none`, the defect: the spawn's registration carries no manifest key, so the manifest-side one is not recognised
 *   as the same and is added beside it: two registrations, two `runFinished` wake rows per finished child run.
 * - `manifest`, the fix (default): the spawn passes the manifest child key (`<type>:<id>`); the second registration
 *   finds it and is not added.
 */
export const RUN_FINISHED_KEYS = ['none', 'manifest'] as const;

export type RunFinishedKey = (typeof RUN_FINISHED_KEYS)[number];
