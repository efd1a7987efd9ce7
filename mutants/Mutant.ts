/**
 * The kinds of planted defect the suite covers, named after what a maintainer got wrong (not after the syntax that
 * changed), so the table says which kinds of bug a configuration catches.
 */
export const DEFECT_CLASSES = [
  'off-by-one',
  'missing-await',
  'swallowed-error',
  'skipped-ack',
  'unbounded-retry',
  'missing-backoff',
  'lease-handling',
  'resume-offset',
  'ack-before-work',
  'heartbeat',
  'stop-handling',
  'lost-update',
  // A value the caller handed over (a header, an abort signal) that a layer does not pass on.
  'dropped-option',
  // A counter, backoff or timer not reset after the success that should reset it.
  'forgotten-reset',
] as const;

/** One of {@link DEFECT_CLASSES}. */
export type DefectClass = (typeof DEFECT_CLASSES)[number];

/** The runtimes a mutant can be planted in; each is explored with its own CI configuration. */
export type MutatedRuntime = 'v0.4' | 'v0.6';

/**
 * A planted defect, stored as a declarative source replacement: the runtime under test never knows about it. The
 * search text must occur exactly once in the file, so a refactor that moves the code makes the mutant fail loudly
 * ("search text not found") instead of silently planting nothing.
 */
export interface Mutant {
  /** Stable id, `<runtime>-<what breaks>`; what `--only` takes. */
  readonly id: string;
  readonly runtime: MutatedRuntime;
  /** Path relative to the project root. */
  readonly file: string;
  /** Exact source text to replace (whitespace included). */
  readonly search: string;
  readonly replace: string;
  /** One line: the bug as a reviewer would describe it. */
  readonly description: string;
  readonly defectClass: DefectClass;
}
