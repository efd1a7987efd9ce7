import fc from 'fast-check';
import type { PreloadOutcome } from './FakeStreams.ts';

/** The sizes and timings of the story: the daily-digest scenario's (DEFAULT_DIGEST_OPTIONS), in fake milliseconds. */
export interface StoryOptions {
  readonly dayMs: number;
  readonly firstDueAtMs: number;
  readonly maxOccurrences: number;
  readonly maxMessagesPerOccurrence: number;
  readonly maxRedeploys: number;
  readonly restartDelayMinMs: number;
  readonly restartDelayMaxMs: number;
  /** Planned outcomes of the first catch-up reads of the shared stream, at most; the reads after them answer. */
  readonly maxPlannedPreloads: number;
  readonly quietPeriodMs: number;
}

/** One story the property runs: the workload and the faults planted in the fakes, all drawn by fast-check. */
export interface NativeStory {
  /** Days whose digest falls due (cron ticks). */
  readonly occurrences: number;
  /** When a message reaches the entity's inbox, in fake milliseconds since the start. */
  readonly messagesAtMs: readonly number[];
  /** When the host is redeployed, and how long until its successor starts. */
  readonly redeploys: ReadonlyArray<{ readonly atMs: number; readonly restartDelayMs: number }>;
  /** What the n-th catch-up read of the shared stream answers: 404, a foreign item in front, or the rows. */
  readonly preloadPlan: readonly PreloadOutcome[];
}

/** When the workload ends: the due time of the day after the last (the scenario's fault window). */
export const workloadEndMs = (options: StoryOptions, occurrences: number): number => options.firstDueAtMs + occurrences * options.dayMs;

/**
 * The stories, as a fast-check user draws them: a number of days, then messages and redeploys at times within the
 * workload and a plan of preload outcomes. fast-check's own biases apply (short arrays and small values first).
 */
export function storyArbitrary(options: StoryOptions): fc.Arbitrary<NativeStory> {
  return fc.integer({ min: 1, max: options.maxOccurrences }).chain((occurrences) => {
    const endMs = workloadEndMs(options, occurrences);
    return fc.record({
      occurrences: fc.constant(occurrences),
      messagesAtMs: fc.array(fc.integer({ min: 0, max: endMs }), { maxLength: options.maxMessagesPerOccurrence * occurrences }).map((times) => [...times].sort((a, b) => a - b)),
      redeploys: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: endMs }), restartDelayMs: fc.integer({ min: options.restartDelayMinMs, max: options.restartDelayMaxMs }) }), {
        maxLength: options.maxRedeploys,
      }),
      preloadPlan: fc.array(fc.constantFrom<PreloadOutcome>('ok', 'not-found', 'foreign-item'), { maxLength: options.maxPlannedPreloads }),
    });
  });
}
