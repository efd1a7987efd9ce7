import { describe, expect, it } from 'vitest';
import { runSpecFor } from '../../../scenarios/config/runSpecFor.ts';
import { DigestSession } from '../../../scenarios/daily-digest/DigestSession.ts';
import { RecordedChoiceSource } from '../../../sim/choice/RecordedChoiceSource.ts';
import type { TraceEvent } from '../../../sim/trace/Trace.ts';

/**
 * processWake of the v0.6 runtime driven command by command in the daily-digest world (one occurrence, deliveries in
 * order): the preload failures are armed, not drawn, so each test tells one story. The session feeds every event to
 * the composed model as it happens, so each story also checks that the runtime conforms to it.
 */
function session(switches: Record<string, string>): DigestSession {
  return new DigestSession(runSpecFor({ scenario: 'daily-digest', runtime: 'v0.6', switches }), new RecordedChoiceSource([]), 1);
}

const of = (events: readonly TraceEvent[], kind: string): TraceEvent[] => events.filter((event) => event.kind === kind);
const posts = (events: readonly TraceEvent[]): number => of(events, 'action-performed').length;

async function firstWakeAfterArmedFailures(switches: Record<string, string>, failures: number): Promise<DigestSession> {
  const digest = session(switches);
  for (let failure = 0; failure < failures; failure += 1) digest.armPreloadFailure('preload-not-found');
  await digest.untilNextOccurrence();
  await digest.advance(10_000);
  expect(digest.conformanceFailure).toBeUndefined();
  return digest;
}

describe('v0.6 processWake, scripted', () => {
  it('wiring=swallow: a failed preload resolves observe unwired, the digest is posted, the wake fails and is still acked', async () => {
    const { events } = await firstWakeAfterArmedFailures({ wiring: 'swallow' }, 1);
    expect(of(events, 'observe-resolved').map((event) => event.detail['wired'])).toEqual([false]);
    expect(posts(events)).toBe(1);
    expect(of(events, 'wake-failed')).toHaveLength(1);
    expect(of(events, 'done-received').map((event) => event.detail['status'])).toEqual([200]);
    // The handle was never committed to the manifest: the failed wake rolled its row back.
    expect(of(events, 'manifest-stored')).toHaveLength(0);
  });

  it('wiring=reject: observe rejects, nothing is posted, the wake fails closed and is acked', async () => {
    const { events } = await firstWakeAfterArmedFailures({ wiring: 'reject' }, 1);
    expect(of(events, 'observe-resolved')).toHaveLength(0);
    expect(posts(events)).toBe(0);
    expect(of(events, 'wake-failed')).toHaveLength(1);
    expect(of(events, 'done-received').map((event) => event.detail['status'])).toEqual([200]);
  });

  it('wiring=retry: each failed preload is retried on a fresh DB; observe resolves wired and the digest is posted once', async () => {
    const { events } = await firstWakeAfterArmedFailures({ wiring: 'retry' }, 2);
    expect(of(events, 'preload-failed').map((event) => event.detail['attempt'])).toEqual([1, 2]);
    expect(of(events, 'handle-wired').map((event) => event.detail['attempt'])).toEqual([3]);
    expect(of(events, 'observe-resolved').map((event) => event.detail['wired'])).toEqual([true]);
    expect(posts(events)).toBe(1);
    expect(of(events, 'manifest-stored').map((event) => event.detail['sharedIds'])).toEqual([['digest-log']]);
  });

  it('a stop during a wiring retry abandons the wake and still sends done, consuming nothing (B6); the next host posts', async () => {
    const digest = session({ wiring: 'retry' });
    for (let failure = 0; failure < 3; failure += 1) digest.armPreloadFailure('preload-not-found');
    await digest.untilNextOccurrence();
    await digest.advance(150);
    expect(of(digest.events, 'preload-failed').length).toBeGreaterThan(0);
    expect(of(digest.events, 'handle-wired')).toHaveLength(0);
    digest.redeploy();
    await digest.advance(60_000);
    expect(digest.conformanceFailure).toBeUndefined();
    const abandoned = of(digest.events, 'wake-abandoned');
    expect(abandoned.map((event) => event.actor)).toEqual(['host#1']);
    const dones = of(digest.events, 'done-received');
    expect(dones[0]).toMatchObject({ detail: { peer: 'host#1', acks: [], status: 200 } });
    expect(of(digest.events, 'action-performed').map((event) => event.detail['peer'])).toEqual(['host#2']);
  });
});

describe('v0.6 stop racing a claim (B4(c)), offset=durable', () => {
  it('a claim answered after the stop began is not dispatched, yet settles the mark: the next runner does not read that wake again', async () => {
    const digest = session({ wiring: 'retry', offset: 'durable' });
    // Just after the tick: the wake is read and its claim is on the wire when SIGTERM arrives.
    await digest.untilNextOccurrence();
    expect(of(digest.events, 'wake-read').map((event) => event.actor)).toEqual(['host#1']);
    expect(of(digest.events, 'claim-answered')).toHaveLength(0);
    digest.redeploy();
    await digest.advance(90_000);
    expect(digest.conformanceFailure).toBeUndefined();
    expect(of(digest.events, 'claim-discarded')).toMatchObject([{ actor: 'host#1', detail: { generation: 1, answered: true, granted: true } }]);
    const firstWake = of(digest.events, 'wake-appended')[0]!.detail['offset'];
    expect(of(digest.events, 'runner-start').map((event) => event.detail['startOffset'])).toEqual(['-1', firstWake]);
    expect(of(digest.events, 'wake-read').filter((event) => event.actor === 'host#2').map((event) => event.detail['generation'])).not.toContain(1);
    // The lease the discarded claim held expired; the work was woken again and done once.
    expect(of(digest.events, 'action-performed').map((event) => event.detail['peer'])).toEqual(['host#2']);
  });
});
