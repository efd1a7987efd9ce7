import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config.ts';
import type { SharedStateHandle } from '../../runtime/shared-state/SharedStateHandle.ts';
import { db, type EntityHandler } from '../../runtime/wake/HandlerContext.ts';
import { processWake } from '../../runtime/wake/processWake.ts';
import type { ManifestRow } from '../../world/agents-server/AgentsServer.ts';
import { formatOffset } from '../../world/durable-streams/offsets.ts';
import { FakeAgents, INBOX, claimFor, fakeEnv, flakyStreams } from './fakes.ts';

function run(handler: EntityHandler, options: { wiring?: string; failures?: number; manifest?: ManifestRow[]; aborted?: boolean } = {}) {
  const agents = new FakeAgents(options.manifest);
  const fake = fakeEnv(flakyStreams(options.failures ?? 0), agents);
  const config = resolveConfig('v0.4', options.wiring ? { wiring: options.wiring } : {});
  const outcome = processWake(fake.env, config, { entity: 'e1', claim: claimFor('e1') }, handler, () => options.aborted ?? false);
  return { agents, ...fake, outcome };
}

const EXPECTED_ACK = { subscriptionId: 'sub:e1', wakeId: 'sub:e1/1', generation: 1, offsets: { [INBOX]: formatOffset(42) } };

describe('processWake', () => {
  it('a handler that throws leads to failed, and the wake is still acked as done', async () => {
    const { outcome, agents, events } = run(async () => {
      throw new Error('handler broke');
    });
    expect(await outcome).toBe('failed');
    expect(agents.acks).toEqual([EXPECTED_ACK]);
    expect(events).toContainEqual({ kind: 'wake-failed', detail: { entity: 'e1', wakeId: 'sub:e1/1', error: 'Error: handler broke', rolledBackRows: 0 } });
  });

  it('commits manifest rows after a normal return, before the ack', async () => {
    const { outcome, agents } = run(async (ctx) => {
      const handle = await ctx.observe(db('digest'));
      await ctx.observe(db('digest')); // the same handle again: still one row
      expect(handle.isWired).toBe(true);
    });
    expect(await outcome).toBe('completed');
    expect(agents.commits).toEqual([{ entity: 'e1', rows: [{ sharedId: 'digest', mode: 'connect' }] }]);
    expect(agents.calls).toEqual(['readManifest', 'commitManifest', 'ack']);
  });

  it('rolls back manifest rows of a handler that threw after observing', async () => {
    const { outcome, agents, events } = run(async (ctx) => {
      await ctx.observe(db('digest'));
      throw new Error('after observe');
    });
    expect(await outcome).toBe('failed');
    expect(agents.commits).toEqual([]);
    expect(agents.acks).toHaveLength(1);
    expect(events.find((event) => event.kind === 'wake-failed')?.detail.rolledBackRows).toBe(1);
  });

  it('swallow: the handler sees an unwired handle; the wake commits its rows, then fails on the wiring error', async () => {
    let seen: SharedStateHandle | undefined;
    const { outcome, agents, kinds } = run(
      async (ctx) => {
        seen = await ctx.observe(db('digest'));
      },
      { wiring: 'swallow', failures: 1 },
    );
    expect(await outcome).toBe('failed');
    expect(seen?.isWired).toBe(false);
    expect(seen?.__electricCollection).toBeUndefined();
    expect(agents.commits).toHaveLength(1); // semantics §1 step 4: commit, then throw liveProcessError
    expect(kinds()).toEqual(['wake-start', 'observe-called', 'preload-failed', 'wiring-failed', 'manifest-committed', 'wake-failed', 'wake-acked']);
  });

  it('reject: observe rejects, the handler does not get past it, no rows are committed', async () => {
    let reachedAfterObserve = false;
    const { outcome, agents } = run(
      async (ctx) => {
        await ctx.observe(db('digest'));
        reachedAfterObserve = true;
      },
      { wiring: 'reject', failures: 1 },
    );
    expect(await outcome).toBe('failed');
    expect(reachedAfterObserve).toBe(false);
    expect(agents.commits).toEqual([]);
    expect(agents.acks).toHaveLength(1);
  });

  it('a restored handle that fails to wire fails the wake before the handler runs (fail-closed)', async () => {
    let handlerRan = false;
    const { outcome, agents } = run(
      async () => {
        handlerRan = true;
      },
      { wiring: 'swallow', failures: 1, manifest: [{ sharedId: 'digest', mode: 'connect' }] },
    );
    expect(await outcome).toBe('failed');
    expect(handlerRan).toBe(false);
    expect(agents.acks).toHaveLength(1);
  });

  it('observe returns the restored, wired handle and records no new manifest row for it', async () => {
    let seen: SharedStateHandle | undefined;
    const { outcome, agents } = run(
      async (ctx) => {
        seen = await ctx.observe(db('digest'));
      },
      { manifest: [{ sharedId: 'digest', mode: 'connect' }] },
    );
    expect(await outcome).toBe('completed');
    expect(seen).toMatchObject({ restored: true, isWired: true });
    expect(agents.commits).toEqual([]);
  });

  it('retry: a stop during the backoff abandons the wake without an ack', async () => {
    const { outcome, agents, kinds } = run(async (ctx) => void (await ctx.observe(db('digest'))), {
      wiring: 'retry',
      failures: 1,
      aborted: true,
    });
    expect(await outcome).toBe('abandoned');
    expect(agents.calls).not.toContain('ack');
    expect(kinds()).toContain('wake-abandoned');
  });

  it('a failed ack is reported, and the outcome stands', async () => {
    const agents = new FakeAgents();
    agents.ackError = new Error('503');
    const { env, kinds } = fakeEnv(flakyStreams(0), agents);
    const outcome = await processWake(env, resolveConfig('v0.4', {}), { entity: 'e1', claim: claimFor('e1') }, async () => {}, () => false);
    expect(outcome).toBe('completed');
    expect(kinds()).toContain('ack-failed');
    expect(kinds()).not.toContain('wake-acked');
  });
});
