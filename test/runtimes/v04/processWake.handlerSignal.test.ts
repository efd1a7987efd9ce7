import { describe, expect, it } from 'vitest';
import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { HandlerSignalMode } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
/** The simulated world's lease (simulatedWorldHost). */
const LEASE_TTL_MS = 30_000;
/** `lease-fence=deadline` gives the claim up this long before the lease it can be sure of ends. */
const FENCE_MARGIN_MS = 5_000;

/**
 * One wake under `lease-fence=deadline` and no renewals, so that it loses its claim 5 s before its lease ends, whose
 * handler waits two leases in a slow call that ends early if the context's signal aborts (as a `fetch` given it does).
 */
async function wakeWithSlowCall(handlerSignal: HandlerSignalMode, slowCallMs = 2 * LEASE_TTL_MS) {
  const { sim, world, process, host, time } = simulatedWorldHost({ 'lease-fence': 'deadline', 'handler-signal': handlerSignal });
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  world.streams.append(streamPath(INBOX), 'one');
  const env = createV04Environment(host);
  const seen: { signal?: AbortSignal; endedAtMs?: number; error?: unknown } = {};
  const handler: EntityHandler = async (ctx) => {
    if (ctx.signal) seen.signal = ctx.signal;
    const startedAtMs = Date.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, slowCallMs);
        ctx.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(ctx.signal!.reason)), { once: true });
      });
      if (slowCallMs < LEASE_TTL_MS) throw new Error('the handler fails on its own');
    } catch (error) {
      seen.error = error;
      throw error;
    } finally {
      seen.endedAtMs = Date.now() - startedAtMs;
    }
  };
  const { value: outcome } = await time.settle(
    () =>
      process.run(async () => {
        const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
        if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
        return processWake(env, claimed.notification, handler, () => false, undefined, undefined, claimed.sentAtMs);
      }),
    3 * LEASE_TTL_MS,
  );
  const kinds = (kind: string) => sim.trace.events.filter((event) => event.kind === kind);
  return { outcome, seen, kinds };
}

describe('processWake: the handler told of a lost claim (handler-signal)', () => {
  it('none: the context has no signal, and the slow call runs on past the end of the lease', async () => {
    const { outcome, seen, kinds } = await wakeWithSlowCall('none');
    expect(seen.signal).toBeUndefined();
    expect(outcome).toBe('completed');
    expect(seen.endedAtMs).toBeGreaterThanOrEqual(2 * LEASE_TTL_MS);
    expect(kinds('lease-lost')).toHaveLength(1);
  });

  it('lease: the signal aborts at the fence, the slow call ends before the lease does, and the wake is abandoned', async () => {
    const { outcome, seen, kinds } = await wakeWithSlowCall('lease');
    expect(seen.signal?.aborted).toBe(true);
    // The slow call ended with the signal's own reason, which processWake turned into an abandoned wake.
    expect(seen.error).toBe(seen.signal?.reason);
    expect(seen.endedAtMs).toBeLessThanOrEqual(LEASE_TTL_MS - FENCE_MARGIN_MS);
    expect(outcome).toBe('abandoned');
    expect(kinds('wake-abandoned')).toHaveLength(1);
    expect(kinds('wake-failed')).toEqual([]);
    // The release done gave the claim back before the lease could run out.
    expect(kinds('lease-ended').map((event) => event.detail['reason'])).not.toContain('expired');
  });

  it('lease: a handler that fails while the claim is still its own fails the wake, as without the switch', async () => {
    const { outcome, seen, kinds } = await wakeWithSlowCall('lease', 1_000);
    expect(seen.signal?.aborted).toBe(false);
    expect(outcome).toBe('failed');
    expect(kinds('wake-failed')).toHaveLength(1);
    expect(kinds('wake-abandoned')).toEqual([]);
  });
});
