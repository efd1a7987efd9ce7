import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import type { World } from '../../world/World.ts';

/** Sizes and timings of the daily-digest scenario, in virtual milliseconds. */
export interface DigestScenarioOptions {
  /**
   * One "day". Five virtual minutes stand for a day: nothing on the wake path depends on the length of a day except
   * through heartbeats (30 s), leases (30 s) and backoffs (at most 30 s), which a five-minute day still exceeds many
   * times over, and a short day keeps runs fast.
   */
  readonly dayMs: number;
  /** When the first occurrence falls due; the first host is up well before. */
  readonly firstDueAtMs: number;
  /** Occurrences (days) in one run, at most; the count is a choice from 1. */
  readonly maxOccurrences: number;
  /** Other messages to the entity per occurrence, at most: traffic that wakes it besides the cron tick. */
  readonly maxMessagesPerOccurrence: number;
  /** Fault-free time at the end for every retry, backoff and lease to play out before liveness is judged. */
  readonly quietPeriodMs: number;
  /** Work open this long at the end of the run is a hang. */
  readonly hangAfterMs: number;
  readonly maxSteps: number;
  /** Trace events one run may keep (`RunBudget.maxTraceEvents`); the tool's default when absent. */
  readonly maxTraceEvents?: number;
  readonly leaseTtlMs: number;
  readonly longPollTimeoutMs: number;
  /** Preload failures one run may inject at most (unlimited when absent). */
  readonly maxPreloadFaults?: number;
  /**
   * Plants a defect in the entity for tests of the oracles themselves (a handler that hangs, say), given each entity's
   * handler and id (a world of several entities may plant in one of them). Never set by the command line.
   */
  readonly plantInHandler?: (handler: EntityHandler, entity: string) => EntityHandler;
  /**
   * Plants a defect in the simulated world once it is built, before anything runs (a service that misbehaves), for
   * tests that the properties catch a broken world's effects. Never set by the command line.
   */
  readonly plantInWorld?: (world: World) => void;
}

export const DEFAULT_DIGEST_OPTIONS: DigestScenarioOptions = {
  dayMs: 300_000,
  firstDueAtMs: 60_000,
  maxOccurrences: 3,
  maxMessagesPerOccurrence: 2,
  quietPeriodMs: 180_000,
  hangAfterMs: 90_000,
  maxSteps: 100_000,
  leaseTtlMs: 30_000,
  longPollTimeoutMs: 20_000,
};
