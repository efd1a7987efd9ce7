import fc from 'fast-check';
import type { RuntimeUnderTest } from '../../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../../runtimes/v04/v04Runtime.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { runNativeStory, type NativeOutcome, type NativeSetup, type TimerPolicy } from './runNativeStory.ts';
import { storyArbitrary } from './nativeStory.ts';

/** Every switch of `runtime` at its default, but for `overrides`: what a user passes to the runtime they test. */
export function runtimeConfig(runtime: RuntimeUnderTest, overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  const config: Record<string, string> = {};
  for (const definition of runtime.switches) config[definition.name] = overrides[definition.name] ?? definition.defaultValue;
  for (const name of Object.keys(overrides)) if (!(name in config)) throw new Error(`${runtime.name} has no switch "${name}"`);
  return config;
}

/**
 * The setup of the native baseline for the v0.4 runtime: its switches (v0.4 as shipped unless overridden), the digest
 * entity's `raw-collection` check, and the daily-digest scenario's sizes and timings (days, messages, redeploys,
 * restart delays, lease, long-poll, grace period), so that both sides explore stories of the same size.
 */
export function v04NativeSetup(timers: TimerPolicy, overrides: Readonly<Record<string, string>> = {}): NativeSetup {
  const digest = DEFAULT_DIGEST_OPTIONS;
  const faults = DEFAULT_FAULT_OPTIONS;
  return {
    runtime: v04Runtime,
    config: runtimeConfig(v04Runtime, overrides),
    idempotency: 'raw-collection',
    story: {
      dayMs: digest.dayMs,
      firstDueAtMs: digest.firstDueAtMs,
      maxOccurrences: digest.maxOccurrences,
      maxMessagesPerOccurrence: digest.maxMessagesPerOccurrence,
      maxRedeploys: faults.maxRedeploys,
      restartDelayMinMs: faults.hostRestartDelayMinMs,
      restartDelayMaxMs: faults.hostRestartDelayMaxMs,
      maxPlannedPreloads: 10,
      quietPeriodMs: digest.quietPeriodMs,
    },
    leaseTtlMs: digest.leaseTtlMs,
    longPollTimeoutMs: digest.longPollTimeoutMs,
    stopGraceMs: faults.stopGracePeriodMs,
    timers,
    maxSteps: 100_000,
  };
}

/**
 * The property a fast-check user writes: for any scheduler and any story, no action reaches the chat twice. Its
 * failures are the runs that posted a duplicate; `onRun` sees every run's outcome.
 */
export function noDuplicatePost(setup: NativeSetup, onRun?: (outcome: NativeOutcome) => void): fc.IAsyncPropertyWithHooks<[fc.Scheduler, ReturnType<typeof storyArbitrary> extends fc.Arbitrary<infer T> ? T : never]> {
  return fc.asyncProperty(fc.scheduler(), storyArbitrary(setup.story), async (s, story) => {
    const outcome = await runNativeStory(s, story, setup);
    onRun?.(outcome);
    return outcome.duplicates.length === 0;
  });
}

/** Runs until the first duplicate for `seed`: its 1-based run number, or undefined when `maxRuns` runs found none. */
export async function nativeRunsToDuplicate(setup: NativeSetup, seed: number, maxRuns: number, onRun?: (outcome: NativeOutcome) => void): Promise<number | undefined> {
  const details = await fc.check(noDuplicatePost(setup, onRun), { seed, numRuns: maxRuns, endOnFailure: true });
  if (details.errorInstance && !details.failed) throw details.errorInstance;
  return details.failed ? details.numRuns : undefined;
}
