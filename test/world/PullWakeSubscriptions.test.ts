import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { PullWakeSubscriptions, type Claim } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import { expectHttpError, makeSim } from './simHelpers.ts';

const LEASE_TTL_MS = 5_000;
const SUB = 'sub:a';

function setup() {
  const sim = makeSim();
  const ds = new DurableStreamsService(sim);
  const subs = new PullWakeSubscriptions(sim, ds, { leaseTtlMs: LEASE_TTL_MS });
  ds.create('/inbox');
  ds.create('/wake');
  subs.subscribe(SUB, ['/inbox'], '/wake');
  const wakes = () => ds.read('/wake', '-1').items.map((item) => item.value);
  const ackDone = (claim: Claim) => subs.ack(SUB, claim.token, claim.generation, { '/inbox': claim.streams[0]!.tail_offset }, true);
  return { sim, ds, subs, wakes, ackDone };
}

describe('PullWakeSubscriptions', () => {
  it('an append to a linked stream appends a wake event to the wake stream', async () => {
    const { sim, ds, wakes } = setup();
    sim.scheduler.schedule(250, 'writer', 'append', () => ds.append('/inbox', 'hello'));
    await runLoop(sim.scheduler, { horizonMs: 1_000, maxSteps: 10 });
    expect(wakes()).toEqual([{ type: 'wake', subscription_id: SUB, stream: '/inbox', generation: 1, ts: 250 }]);
  });

  it('claim returns the streams with acked/tail/has_pending and the lease ttl', () => {
    const { ds, subs } = setup();
    const tail = ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    expect(claim).toMatchObject({ wake_id: `${SUB}/1`, subscription_id: SUB, generation: 1, lease_ttl_ms: LEASE_TTL_MS });
    expect(claim.streams).toEqual([{ path: '/inbox', acked_offset: '-1', tail_offset: tail, has_pending: true }]);
    expect(claim.token).toEqual(expect.any(String));
  });

  it('a second claim while leased is 409 ALREADY_CLAIMED', () => {
    const { ds, subs } = setup();
    ds.append('/inbox', 'hello');
    subs.claim(SUB);
    expectHttpError(() => subs.claim(SUB), 409, 'ALREADY_CLAIMED');
  });

  it('a claim with nothing pending is 409 NO_PENDING_WORK, before any append and after a full ack', () => {
    const { ds, subs, ackDone } = setup();
    expectHttpError(() => subs.claim(SUB), 409, 'NO_PENDING_WORK');
    ds.append('/inbox', 'hello');
    ackDone(subs.claim(SUB));
    expectHttpError(() => subs.claim(SUB), 409, 'NO_PENDING_WORK');
  });

  it('an ack with the wrong token or generation is 409 FENCED and keeps the lease', () => {
    const { ds, subs } = setup();
    ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    expectHttpError(() => subs.ack(SUB, 'lease-bogus', claim.generation, {}, true), 409, 'FENCED');
    expectHttpError(() => subs.ack(SUB, claim.token, claim.generation + 1, {}, true), 409, 'FENCED');
    expectHttpError(() => subs.claim(SUB), 409, 'ALREADY_CLAIMED');
  });

  it('ack done releases the lease without a new wake when nothing arrived meanwhile', () => {
    const { ds, subs, wakes, ackDone } = setup();
    ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    ackDone(claim);
    expect(wakes()).toHaveLength(1);
    // A second ack with the same token is stale: the lease is gone.
    expectHttpError(() => ackDone(claim), 409, 'FENCED');
  });

  it('ack done wakes again (next generation) when work arrived during the lease', () => {
    const { ds, subs, wakes, ackDone } = setup();
    const first = ds.append('/inbox', 'one');
    const claim = subs.claim(SUB);
    ds.append('/inbox', 'two');
    expect(wakes()).toHaveLength(1); // no wake while leased
    ackDone(claim);
    expect(wakes()).toMatchObject([{ generation: 1 }, { generation: 2 }]);
    const next = subs.claim(SUB);
    expect(next.generation).toBe(2);
    expect(next.streams[0]).toMatchObject({ acked_offset: first, has_pending: true });
  });

  it('ack without done applies offsets but keeps the lease', () => {
    const { ds, subs } = setup();
    const tail = ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    subs.ack(SUB, claim.token, claim.generation, { '/inbox': tail }, false);
    expectHttpError(() => subs.claim(SUB), 409, 'ALREADY_CLAIMED');
    subs.ack(SUB, claim.token, claim.generation, {}, true);
    expectHttpError(() => subs.claim(SUB), 409, 'NO_PENDING_WORK');
  });

  it('acked offsets never move backwards', () => {
    const { ds, subs } = setup();
    const first = ds.append('/inbox', 'one');
    const second = ds.append('/inbox', 'two');
    const claim = subs.claim(SUB);
    subs.ack(SUB, claim.token, claim.generation, { '/inbox': second }, false);
    subs.ack(SUB, claim.token, claim.generation, { '/inbox': first }, true);
    expectHttpError(() => subs.claim(SUB), 409, 'NO_PENDING_WORK');
  });

  it('a lease that expires with work pending appends a wake with a higher generation and fences the old holder', async () => {
    const { sim, ds, subs, wakes } = setup();
    ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    await runLoop(sim.scheduler, { horizonMs: LEASE_TTL_MS - 1, maxSteps: 10 });
    expect(wakes()).toHaveLength(1);
    await runLoop(sim.scheduler, { horizonMs: LEASE_TTL_MS + 1, maxSteps: 10 });
    expect(wakes()).toEqual([
      { type: 'wake', subscription_id: SUB, stream: '/inbox', generation: 1, ts: 0 },
      { type: 'wake', subscription_id: SUB, stream: '/inbox', generation: 2, ts: LEASE_TTL_MS },
    ]);
    expectHttpError(() => subs.ack(SUB, claim.token, claim.generation, {}, true), 409, 'FENCED');
    expect(subs.claim(SUB).generation).toBe(2);
  });

  it('a lease that expires with nothing pending issues no wake', async () => {
    const { sim, ds, subs, wakes } = setup();
    const tail = ds.append('/inbox', 'hello');
    const claim = subs.claim(SUB);
    subs.ack(SUB, claim.token, claim.generation, { '/inbox': tail }, false);
    await runLoop(sim.scheduler, { horizonMs: 60_000, maxSteps: 10 });
    expect(wakes()).toHaveLength(1);
    expectHttpError(() => subs.claim(SUB), 409, 'NO_PENDING_WORK'); // the lease is gone, not still held
  });

  it('isSettled: unsettled while pending or leased, settled once acked done or idle', () => {
    const { ds, subs, ackDone } = setup();
    ds.append('/inbox', 'one');
    expect(subs.isSettled(SUB, 1)).toBe(false);
    const claim = subs.claim(SUB);
    expect(subs.isSettled(SUB, 1)).toBe(false);
    ds.append('/inbox', 'two');
    ackDone(claim); // emits generation 2 for 'two'
    expect(subs.isSettled(SUB, 1)).toBe(true);
    expect(subs.isSettled(SUB, 2)).toBe(false);
    ackDone(subs.claim(SUB));
    expect(subs.isSettled(SUB, 2)).toBe(true);
  });

  it('an unknown subscription is 404', () => {
    const { subs } = setup();
    expectHttpError(() => subs.claim('sub:nobody'), 404, 'SUBSCRIPTION_NOT_FOUND');
    expectHttpError(() => subs.isSettled('sub:nobody', 1), 404, 'SUBSCRIPTION_NOT_FOUND');
  });
});
