import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { AgentsServer } from '../../world/agents-server/AgentsServer.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { observeSubscriptions } from '../../world/durable-streams/observeSubscriptions.ts';
import type { PendingWake } from '../../world/durable-streams/PendingWake.ts';
import { ReferenceSubscriptions } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { schedulerClock } from '../../world/durable-streams/VirtualClock.ts';
import { bodyText } from '../../world/http/messageBody.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import { makeSim } from './simHelpers.ts';

const ROOT = '/v1/stream/';
const WAKE = `${ROOT}runners/r1/wake`;
const INBOX = `${ROOT}entities/e1/inbox`;
const SUB = 'sub:e1';
const LEASE_TTL_MS = 5_000;

/**
 * The world's `pending-wake` switch (O2), through the agents server's claim and done routes: the wake a done leaves
 * pending is announced by a wake event and the answer (`event`), or by the answer alone (`answer-only`).
 */
function setup(pendingWake: PendingWake) {
  const sim = makeSim();
  const ds = new DurableStreamsService(sim);
  const subscriptions = new ReferenceSubscriptions(ds, schedulerClock(sim.scheduler), observeSubscriptions(sim.trace, 'durable-streams'), { pendingWake });
  const server = new AgentsServer(sim, { streams: ds, subscriptions, up: true }, { resumeOffsetSource: 'none', leaseTtlMs: LEASE_TTL_MS });
  server.createEntity({ id: 'e1', type: 'echo', runner: 'r1', sources: [] });
  const call = (path: string, body: unknown, token?: string): { status: number; body: Record<string, unknown> } => {
    const answer = server.serve(
      simRequest({
        method: 'POST',
        url: `http://agents.sim${path}`,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        peer: 'test',
      }),
    );
    const text = bodyText(answer);
    return { status: answer.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const claim = () => call('/_electric/runners/r1/claim', { subscription_id: SUB });
  /** Done for a claimed wake, acking each stream up to the tail the claim listed (not what came after). */
  const done = (wake: { body: Record<string, unknown> }) => {
    const streams = wake.body['streams'] as Array<{ stream: string; tail_offset: string }>;
    return call(
      `/_electric/wakes/${String(wake.body['wake_id'])}/done`,
      { subscription_id: SUB, generation: wake.body['generation'], acks: streams.map((stream) => ({ stream: stream.stream, offset: stream.tail_offset })) },
      String(wake.body['write_token']),
    );
  };
  const wakeEvents = () => ds.read(WAKE, '-1').items.map((item) => (item.value as { generation: number }).generation);
  const observed = (kind: string) => sim.trace.events.filter((event) => event.kind === kind).map((event) => event.detail['generation']);
  return { sim, ds, subscriptions, claim, done, wakeEvents, observed };
}

/** A message, its wake claimed, a second message while the claim is held, then done: work is left pending. */
function doneWithWorkPending(pendingWake: PendingWake) {
  const world = setup(pendingWake);
  world.ds.append(INBOX, 'first');
  const wake = world.claim();
  expect(wake.status).toBe(200);
  world.ds.append(INBOX, 'second, while the claim is held');
  return { ...world, answer: world.done(wake) };
}

describe('pending-wake: the wake a done leaves pending', () => {
  it('event (the default, as the reference): the done answers next_wake: true and the wake event is appended', () => {
    const { answer, wakeEvents, observed, claim } = doneWithWorkPending('event');
    expect(answer).toEqual({ status: 200, body: { next_wake: true } });
    expect(wakeEvents()).toEqual([1, 2]);
    expect(observed('wake-appended')).toEqual([1, 2]);
    expect(observed('wake-unannounced')).toEqual([]);
    expect(claim()).toMatchObject({ status: 200, body: { generation: 2 } });
  });

  it('answer-only: the done answers next_wake: true, no wake event is appended, and the wake is outstanding and claimable', () => {
    const { answer, wakeEvents, observed, claim, ds } = doneWithWorkPending('answer-only');
    expect(answer).toEqual({ status: 200, body: { next_wake: true } });
    expect(wakeEvents()).toEqual([1]);
    expect(observed('wake-appended')).toEqual([1]);
    expect(observed('wake-unannounced')).toEqual([2]);
    // Outstanding: a further write issues nothing (one wake at a time), so only a claim reaches the work.
    ds.append(INBOX, 'third');
    expect(wakeEvents()).toEqual([1]);
    expect(claim()).toMatchObject({ status: 200, body: { generation: 2 } });
  });

  it('answer-only: a done with nothing pending answers next_wake: false and issues nothing', () => {
    const { ds, claim, done, wakeEvents, observed } = setup('answer-only');
    ds.append(INBOX, 'only');
    expect(done(claim())).toEqual({ status: 200, body: { next_wake: false } });
    expect(wakeEvents()).toEqual([1]);
    expect(observed('wake-unannounced')).toEqual([]);
  });

  it('answer-only: a wake issued by a write, or when a lease expires with work pending, still appends its event', async () => {
    const { sim, ds, claim, wakeEvents, observed } = setup('answer-only');
    ds.append(INBOX, 'first');
    expect(wakeEvents()).toEqual([1]);
    expect(claim().status).toBe(200);
    // No done comes: the lease expires with the message unacked, and the next wake is announced by its event.
    await runLoop(sim.scheduler, { horizonMs: LEASE_TTL_MS + 1, maxSteps: 10 });
    expect(wakeEvents()).toEqual([1, 2]);
    expect(observed('wake-unannounced')).toEqual([]);
  });

  it('answer-only: a wake issued when the holder releases with work pending still appends its event', () => {
    const { ds, subscriptions, wakeEvents, observed } = setup('answer-only');
    ds.append(INBOX, 'first');
    const lease = subscriptions.claim(SUB, 'r1');
    if (!lease.ok) throw new Error(lease.failure.code);
    expect(subscriptions.release(SUB, lease.value.token, { wake_id: lease.value.wake_id, generation: lease.value.generation }).ok).toBe(true);
    expect(wakeEvents()).toEqual([1, 2]);
    expect(observed('wake-unannounced')).toEqual([]);
  });
});
