import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { DigestSession } from '../../scenarios/daily-digest/DigestSession.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';

/** Preload failures in a row: with backoff capped at 2 s, about 35 s of retrying, past the 30 s claim lease. */
const FAILURES_PAST_THE_LEASE = 20;

describe('a hazard of wiring=retry the models catch', () => {
  it('a retry that outlives its claim lease lets a second wake of the entity start: conformance refuses it', async () => {
    const session = new DigestSession(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]), 1);
    await session.advance(1_000);
    for (let failure = 0; failure < FAILURES_PAST_THE_LEASE; failure += 1) session.armPreloadFailure('preload-not-found');
    await session.untilNextOccurrence();
    await session.advance(60_000);
    const failure = session.conformanceFailure;
    expect(failure?.event.type).toBe('WAKE_START');
    expect(failure?.machineState).toMatch(/still active/);
    // The runtime really did it: a lease expired while the first wake was still retrying, and a second wake began.
    const kinds = session.events.map((event) => event.kind);
    expect(session.events.some((event) => event.kind === 'lease-ended' && event.detail['reason'] === 'expired')).toBe(true);
    expect(kinds.filter((kind) => kind === 'wake-start').length).toBeGreaterThanOrEqual(2);
  });

  it('the same story with a few failures stays within the lease and conforms', async () => {
    const session = new DigestSession(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]), 1);
    await session.advance(1_000);
    for (let failure = 0; failure < 3; failure += 1) session.armPreloadFailure('preload-not-found');
    await session.untilNextOccurrence();
    await session.advance(60_000);
    expect(session.conformanceFailure).toBeUndefined();
    expect(session.posts().get(0)).toBe(1);
  });
});

describe('wiring=retry-same-db, the obvious fix the bug report warns about', () => {
  it('one preload failure hangs the wake: the hang oracle reports it with the pending work listed', async () => {
    const report = await explore({
      spec: runSpecFor({ scenario: 'minimal-digest', switches: { wiring: 'retry-same-db', offset: 'durable' }, faults: ['preload-not-found'] }),
      maxRuns: 1_000,
      seed: 1,
      strategy: { name: 'exhaustive' },
      properties: ['hang'],
      maxShrinkAttempts: 100,
    });
    const story = report.finding!.shrunk;
    const hang = story.violations.find((violation) => violation.property === 'hang');
    expect(hang?.message).toMatch(/pending: host#1: handler of digest-1 for wake w_0+1 /);
    expect(story.events.some((event) => event.kind === 'preload-failed' && event.detail['handling'] === 'retry-same-db')).toBe(true);
    // Reported within the run's budgets, not as a test that times out.
    expect(story.endedBy).not.toBe('step-budget');
  });
});
