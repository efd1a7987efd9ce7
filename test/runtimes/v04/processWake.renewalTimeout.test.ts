import { describe, expect, it } from 'vitest';
import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { RenewalRetryMode, RenewalTimeoutMode } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import type { FaultKind } from '../../../world/faults/FaultKind.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
/** The simulated world's lease (simulatedWorldHost); renewals go out every third of it. */
const LEASE_TTL_MS = 30_000;
const RENEWAL_INTERVAL_MS = LEASE_TTL_MS / 3;
/** `lease-fence=deadline` gives the claim up this long before the lease it can be sure of ends. */
const FENCE_MARGIN_MS = 5_000;

/**
 * One wake under the hardened lease handling (`lease-renewal=renew`, `lease-fence=deadline`) whose handler stalls for
 * two leases, so that its renewals are the process's only requests: the first of them meet `faults`, one each (armed
 * when the handler starts), and every later one gets through; `renewalRetry` is the `renewal-retry` switch. Run for two leases of virtual time; times are from the
 * service's grant of the lease.
 */
async function stalledWakeWhoseRenewalsMeet(
  renewalTimeout: RenewalTimeoutMode,
  faults: readonly FaultKind[],
  renewalRetry: RenewalRetryMode = 'none',
  /** Faults armed again this long after the handler started (after the first ones struck), if any. */
  later?: { readonly afterMs: number; readonly faults: readonly FaultKind[] },
) {
  const { sim, world, process, host, time } = simulatedWorldHost({ 'lease-renewal': 'renew', 'lease-fence': 'deadline', 'renewal-timeout': renewalTimeout, 'renewal-retry': renewalRetry });
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  world.streams.append(streamPath(INBOX), 'one');
  const env = createV04Environment(host);
  const handler: EntityHandler = async () => {
    for (const fault of faults) world.arm(fault);
    if (later) {
      await new Promise((resolve) => setTimeout(resolve, later.afterMs));
      for (const fault of later.faults) world.arm(fault);
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_TTL_MS - (later?.afterMs ?? 0)));
  };
  await time.settle(
    () =>
      process.run(async () => {
        const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
        if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
        return processWake(env, claimed.notification, handler, () => false, undefined, undefined, claimed.sentAtMs);
      }),
    2 * LEASE_TTL_MS - 100,
  );
  const grantedAtMs = sim.trace.events.find((event) => event.kind === 'lease-granted')!.atMs;
  const at = (kind: string): Array<Readonly<Record<string, unknown>> & { readonly atMs: number }> =>
    sim.trace.events.filter((event) => event.kind === kind).map((event) => ({ ...event.detail, atMs: event.atMs - grantedAtMs }));
  return { renewals: at('renew-received'), leaseLost: at('lease-lost'), leaseEnded: at('lease-ended'), retries: at('renewal-retry') };
}

/** Gaps between consecutive renewals the server received. */
function gapsMs(renewals: ReadonlyArray<{ readonly atMs: number }>): number[] {
  return renewals.slice(1).map((renewal, index) => renewal.atMs - renewals[index]!.atMs);
}

describe('processWake: renewals the network leaves unanswered (renewal-timeout)', () => {
  it('none: a renewal on a connection that hangs holds up every renewal after it, and the wake gives its claim up', async () => {
    const { renewals, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('none', ['hung-request']);
    expect(renewals).toEqual([]);
    expect(leaseLost).toHaveLength(1);
    expect(leaseLost[0]!.atMs).toBeLessThanOrEqual(LEASE_TTL_MS - FENCE_MARGIN_MS);
    expect(leaseEnded.map((event) => event['reason'])).toEqual(['expired']);
  });

  it('interval: the hung renewal is given up when the next is due, which gets through, so the wake keeps its claim', async () => {
    const { renewals, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('interval', ['hung-request']);
    expect(leaseLost).toEqual([]);
    expect(leaseEnded).toEqual([]);
    expect(renewals.every((renewal) => renewal['status'] === 200)).toBe(true);
    // The first went out at a third of the lease and hung; the second at two thirds, at once.
    expect(renewals[0]!.atMs).toBeGreaterThan(2 * RENEWAL_INTERVAL_MS);
    expect(renewals[0]!.atMs).toBeLessThan(2 * RENEWAL_INTERVAL_MS + 100);
    expect(gapsMs(renewals).every((gap) => gap >= RENEWAL_INTERVAL_MS && gap < RENEWAL_INTERVAL_MS + 100)).toBe(true);
    expect(renewals.length).toBeGreaterThanOrEqual(3);
  });

  it('interval (a finding it does not close): two renewals dropped in a row leave the third too late', async () => {
    // A dropped renewal fails at once and is tried again at the next tick, as without the switch: the third renewal
    // would go out when the lease ends, so the fence gives the claim up first.
    const { renewals, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('interval', ['connection-drop', 'connection-drop']);
    expect(renewals).toEqual([]);
    expect(leaseLost).toHaveLength(1);
    expect(leaseEnded.map((event) => event['reason'])).toEqual(['expired']);
  });
});

describe('processWake: renewals given up after 2 s (renewal-timeout=short)', () => {
  it('interval (the finding short closes): two renewals in a row on connections that hang leave the third too late', async () => {
    // Each is given up only when the next is due: the third goes out two thirds of a lease after the last answer.
    const { renewals, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('interval', ['hung-request', 'hung-request'], 'backoff');
    expect(renewals).toEqual([]);
    expect(leaseLost).toHaveLength(1);
    expect(leaseEnded.map((event) => event['reason'])).toEqual(['expired']);
  });

  it('short with backoff: two renewals on connections that hang are given up 2 s on and tried again; the wake keeps its claim', async () => {
    const { renewals, retries, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('short', ['hung-request', 'hung-request'], 'backoff');
    expect(leaseLost).toEqual([]);
    expect(leaseEnded).toEqual([]);
    expect(renewals.every((renewal) => renewal['status'] === 200)).toBe(true);
    expect(retries.map((retry) => retry['retryInMs'])).toEqual([1_000, 2_000]);
    // Hung at a third of the lease, given up 2 s on, tried 1 s later, hung and given up again 2 s on, tried 2 s later.
    expect(renewals[0]!.atMs).toBeGreaterThan(RENEWAL_INTERVAL_MS + 7_000);
    expect(renewals[0]!.atMs).toBeLessThan(RENEWAL_INTERVAL_MS + 7_100);
  });

  it('short without retry: a renewal on a connection that hangs is given up 2 s on, and the next goes out an interval later', async () => {
    const { renewals, leaseLost } = await stalledWakeWhoseRenewalsMeet('short', ['hung-request']);
    expect(leaseLost).toEqual([]);
    expect(renewals[0]!.atMs).toBeGreaterThan(2 * RENEWAL_INTERVAL_MS + 2_000);
    expect(renewals[0]!.atMs).toBeLessThan(2 * RENEWAL_INTERVAL_MS + 2_100);
  });
});

describe('processWake: renewals that got no answer (renewal-retry)', () => {
  it('backoff: two renewals dropped in a row are tried again 1 s and 2 s later; the third gets through and the wake keeps its claim', async () => {
    const { renewals, leaseLost, leaseEnded } = await stalledWakeWhoseRenewalsMeet('interval', ['connection-drop', 'connection-drop'], 'backoff');
    expect(leaseLost).toEqual([]);
    expect(leaseEnded).toEqual([]);
    expect(renewals.every((renewal) => renewal['status'] === 200)).toBe(true);
    // Dropped at a third of the lease and 1 s later; the try 2 s after that is the first the server sees.
    expect(renewals[0]!.atMs).toBeGreaterThan(RENEWAL_INTERVAL_MS + 3_000);
    expect(renewals[0]!.atMs).toBeLessThan(RENEWAL_INTERVAL_MS + 3_100);
    // An answered renewal puts the schedule back to a third of the lease.
    expect(gapsMs(renewals).every((gap) => gap >= RENEWAL_INTERVAL_MS && gap < RENEWAL_INTERVAL_MS + 100)).toBe(true);
  });

  it('backoff: an answered renewal puts the retry wait back to 1 s', async () => {
    // Two drops (tried again 1 s and 2 s later), an answer, then one more drop at the next regular renewal.
    const { renewals, retries, leaseLost } = await stalledWakeWhoseRenewalsMeet('interval', ['connection-drop', 'connection-drop'], 'backoff', {
      afterMs: RENEWAL_INTERVAL_MS + 5_000,
      faults: ['connection-drop'],
    });
    expect(leaseLost).toEqual([]);
    expect(retries.map((retry) => retry['retryInMs'])).toEqual([1_000, 2_000, 1_000]);
    // The second answered renewal went out 1 s after the third drop, a regular interval after the first answer.
    expect(renewals[1]!.atMs - renewals[0]!.atMs).toBeGreaterThan(RENEWAL_INTERVAL_MS + 1_000);
    expect(renewals[1]!.atMs - renewals[0]!.atMs).toBeLessThan(RENEWAL_INTERVAL_MS + 1_100);
  });
});
