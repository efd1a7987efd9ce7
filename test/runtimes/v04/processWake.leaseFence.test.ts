import { describe, expect, it } from 'vitest';
import { db, type EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { LeaseFenceMode } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
/** Never created: every preload of it answers 404, and `wiring=retry` tries again for as long as the wake lasts. */
const SHARED_ID = 'digest';
/** The simulated world's lease (simulatedWorldHost). */
const LEASE_TTL_MS = 30_000;

/**
 * One wake of an entity whose wiring retries without end, under `lease-renewal=renew`, whose first renewal hangs (a
 * request to the agents server that never reaches it and never fails; no request deadline): no renewal ever gets
 * through, and the renewer learns nothing (`renewalsHang: false`: every renewal gets through). Run for two leases of
 * virtual time.
 */
async function wakeWhoseRenewalsHang(fence: LeaseFenceMode, renewalsHang = true) {
  const { sim, world, process, host, time } = simulatedWorldHost({ wiring: 'retry', 'lease-renewal': 'renew', 'lease-fence': fence });
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  world.streams.append(streamPath(INBOX), 'one');
  const env = createV04Environment(host);
  const handler: EntityHandler = async (ctx) => {
    // Armed once the wake has read its manifest and inputs: the next request to the agents server is the first renewal.
    if (renewalsHang) world.arm('hung-request');
    await ctx.observe(db(SHARED_ID));
  };
  const settlement = await time.settle(
    () =>
      process.run(async () => {
        const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
        if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
        return processWake(env, claimed.notification, handler, () => false, undefined, undefined, claimed.sentAtMs);
      }),
    2 * LEASE_TTL_MS,
  );
  if (settlement.error) throw settlement.error;
  // Times from the service's grant of the lease (the claim went out a network trip before).
  const grantedAtMs = sim.trace.events.find((event) => event.kind === 'lease-granted')!.atMs;
  const at = (kind: string): Array<Readonly<Record<string, unknown>> & { readonly atMs: number }> =>
    sim.trace.events.filter((event) => event.kind === kind).map((event) => ({ ...event.detail, atMs: event.atMs - grantedAtMs }));
  return { settlement, leaseLost: at('lease-lost'), leaseEnded: at('lease-ended'), dones: at('done-received') };
}

describe('processWake: a wake whose renewals never get through (lease-fence)', () => {
  it('none: the wake runs on past the end of its lease, which the service ends on time', async () => {
    const { settlement, leaseLost, leaseEnded, dones } = await wakeWhoseRenewalsHang('none');
    expect(settlement.settled).toBe(false);
    expect(leaseLost).toEqual([]);
    expect(dones).toEqual([]);
    expect(leaseEnded.map((event) => event['reason'])).toEqual(['expired']);
  });

  it('deadline: the wake gives its claim up before its lease ends, and a done that acks nothing releases it', async () => {
    const { settlement, leaseLost, leaseEnded, dones } = await wakeWhoseRenewalsHang('deadline');
    expect(settlement.value).toBe('abandoned');
    // The lease the wake can be sure of ends 30 s after its claim went out, a network trip before the grant; it gives
    // the claim up 5 s before that.
    expect(leaseLost).toHaveLength(1);
    const lostAtMs = leaseLost[0]!.atMs;
    expect(lostAtMs).toBeLessThanOrEqual(LEASE_TTL_MS - 5_000);
    expect(lostAtMs).toBeGreaterThan(LEASE_TTL_MS - 5_000 - 50);
    expect(dones).toEqual([expect.objectContaining({ acks: [], status: 200 })]);
    // At once: the wiring backoff the wake was waiting out (up to 2 s) ends with the claim, so its done follows within
    // a network trip.
    expect(dones[0]!.atMs - lostAtMs).toBeLessThan(20);
    expect(leaseEnded).toEqual([expect.objectContaining({ reason: 'done' })]);
    expect(leaseEnded[0]!.atMs).toBeLessThan(LEASE_TTL_MS);
  });

  it('deadline: each renewal the server confirmed moves the deadline, so a long wake keeps its claim', async () => {
    const { settlement, leaseLost, leaseEnded } = await wakeWhoseRenewalsHang('deadline', false);
    expect(settlement.settled).toBe(false);
    expect(leaseLost).toEqual([]);
    expect(leaseEnded).toEqual([]);
  });
});
