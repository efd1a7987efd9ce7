import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { buildDigestWorld, endWorkloadWithQuietPeriod } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { AgentsServer } from '../../world/agents-server/AgentsServer.ts';
import { scheduleCronTicks } from '../../world/agents-server/CronScheduler.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { ReferenceSubscriptions, type SubscriptionAnswer, type WakeClaim } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { schedulerClock, type VirtualClock } from '../../world/durable-streams/VirtualClock.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import { WorldInvariantError } from '../../world/WorldInvariantError.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';
import { makeSim } from './simHelpers.ts';

const ROOT = '/v1/stream/';
const BUDGET = { horizonMs: 1_000_000, maxSteps: 1_000 };
const SCHEDULE = { name: 'daily', firstDueAtMs: 100, periodMs: 1_000, count: 2 };

/** A pull-wake subscription linking an inbox to a wake stream, with one item pending. */
function pendingWork(clock: (sim: ReturnType<typeof makeSim>) => VirtualClock, Subscriptions = ReferenceSubscriptions) {
  const sim = makeSim();
  const streams = new DurableStreamsService(sim);
  for (const name of ['inbox', 'wake']) streams.create(`${ROOT}${name}`);
  const subscriptions = new Subscriptions(streams, clock(sim));
  subscriptions.define('sub:e1', { type: 'pull-wake', pattern: undefined, streams: ['inbox'], webhookUrl: undefined, wakeStream: 'wake', leaseTtlMs: 5_000, description: undefined });
  streams.append(`${ROOT}inbox`, 'work');
  return { sim, streams, subscriptions };
}

describe('world invariants: a broken world throws', () => {
  it('a cron tick appended a second time', async () => {
    const sim = makeSim();
    const streams = new DurableStreamsService(sim);
    scheduleCronTicks(sim, streams, `${ROOT}cron`, SCHEDULE);
    await runLoop(sim.scheduler, BUDGET);
    expect(sim.trace.events.filter((event) => event.kind === 'cron-tick').map((event) => [event.detail['tick'], event.detail['stream']])).toEqual([
      [0, 'cron'],
      [1, 'cron'],
    ]);
    // A tick chain scheduled twice (the re-enqueueing of historical-bugs B12) fires every tick again.
    const twice = makeSim();
    const store = new DurableStreamsService(twice);
    scheduleCronTicks(twice, store, `${ROOT}cron`, SCHEDULE);
    scheduleCronTicks(twice, store, `${ROOT}cron`, SCHEDULE);
    await expect(runLoop(twice.scheduler, BUDGET)).rejects.toThrow(new WorldInvariantError('world invariant broken in cron: tick 0 of daily appended a second time'));
  });

  it('a lease without an expiry', () => {
    const timerless = (sim: ReturnType<typeof makeSim>): VirtualClock => ({ nowMs: () => sim.scheduler.nowMs, startTimer: () => undefined as unknown as () => void });
    const { subscriptions } = pendingWork(timerless);
    expect(() => subscriptions.claim('sub:e1', 'r1')).toThrow(WorldInvariantError);
    const { subscriptions: sound } = pendingWork((sim) => schedulerClock(sim.scheduler));
    expect(sound.claim('sub:e1', 'r1').ok).toBe(true);
  });

  it('a claim whose generation went back', async () => {
    /** A service that hands out its first generation again: the fencing of stale acks is gone. */
    class StaleGenerations extends ReferenceSubscriptions {
      override claim(id: string, worker: string): SubscriptionAnswer<WakeClaim> {
        const answer = super.claim(id, worker);
        return answer.ok ? { ok: true, value: { ...answer.value, generation: 1 } } : answer;
      }
    }
    const sim = makeSim();
    const streams = new DurableStreamsService(sim);
    const subscriptions = new StaleGenerations(streams, schedulerClock(sim.scheduler));
    const server = new AgentsServer(sim, { streams, subscriptions, up: true }, { resumeOffsetSource: 'none', leaseTtlMs: 5_000 });
    server.createEntity({ id: 'e1', type: 't', runner: 'r1', sources: [] });
    const claim = () => server.serve(simRequest({ method: 'POST', url: 'http://agents.sim/_electric/runners/r1/claim', body: JSON.stringify({ subscription_id: 'sub:e1' }), peer: 'test' }));
    streams.append(`${ROOT}entities/e1/inbox`, 'one');
    expect(claim().status).toBe(200);
    // The lease expires unacked; the work is still pending, so the service issues generation 2.
    await runLoop(sim.scheduler, { horizonMs: 6_000, maxSteps: 10 });
    expect(claim).toThrow(/claim of sub:e1 granted generation 1 after 1: a generation only grows/);
  });

  it('fails the whole run: a run on a broken world never completes as if fine', async () => {
    const doubleCron: Scenario = {
      name: 'daily-digest',
      summary: 'planted: a world whose cron fires every tick twice',
      followedByComposedModel: true,
      setUp: (sim, spec, runtime) => {
        const schedule = { name: 'daily-digest', firstDueAtMs: DEFAULT_DIGEST_OPTIONS.firstDueAtMs, periodMs: DEFAULT_DIGEST_OPTIONS.dayMs, count: 1 };
        const digest = buildDigestWorld(sim, spec, runtime, DEFAULT_DIGEST_OPTIONS, schedule);
        scheduleCronTicks(sim, digest.world.streams, `${ROOT}cron/daily-digest`, schedule);
        return endWorkloadWithQuietPeriod(sim, digest, DEFAULT_DIGEST_OPTIONS, schedule.firstDueAtMs + schedule.periodMs);
      },
    };
    await expect(runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource([]), { scenario: doubleCron })).rejects.toThrow(WorldInvariantError);
  });
});
