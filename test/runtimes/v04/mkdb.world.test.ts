import { describe, expect, it } from 'vitest';
import { mkdb, type EntityHandler, type StateRow } from '../../../protocol/entity/EntityHandler.ts';
import { sharedStateStream, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { STREAMS_TIERS, type V04Config } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { SHARED_READ_REFUSED } from '../../../world/agents-server/AgentsServer.ts';
import type { SharedLinks } from '../../../world/agents-server/SharedStateLinks.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
const SHARED_ID = 'fresh';

/**
 * A fresh tenant: one entity, no shared stream created beforehand, and a handler that observes `mkdb(SHARED_ID)`,
 * records what it read (before and after its write) and writes one row per wake.
 */
function freshTenant(config: Partial<V04Config>, sharedLinks?: SharedLinks) {
  const { sim, world, process, host, time } = simulatedWorldHost(config, sharedLinks ? { sharedLinks } : {});
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  const env = createV04Environment(host);
  const seen: Array<{ wired: boolean; before: StateRow[]; after: StateRow[] }> = [];
  const handler: EntityHandler = async (ctx) => {
    const handle = await ctx.observe(mkdb(SHARED_ID));
    const before = handle.toArray();
    await handle.insert({ key: `wake-${seen.length + 1}`, value: ctx.inputs.map((input) => input.value) });
    seen.push({ wired: handle.__electricCollection !== undefined, before, after: handle.toArray() });
  };
  const claimAndProcess = async () => {
    const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
    if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
    return processWake(env, claimed.notification, handler, () => false);
  };
  return {
    world,
    env,
    seen,
    async wakeFor(message: string) {
      world.streams.append(streamPath(INBOX), message);
      const { value, error } = await time.settle(() => process.run(claimAndProcess));
      if (error) throw error;
      return value;
    },
    observed: (kind: string) => sim.trace.events.filter((event) => event.kind === kind).map((event) => event.detail),
    storedKeys: () => world.streams.read(streamPath(sharedStateStream(SHARED_ID)), '-1').items.map((item) => (item.value as { key: string }).key),
    manifest: () => time.settle(() => process.run(() => env.agents.readManifest(ENTITY))),
  };
}

describe.each(STREAMS_TIERS)('mkdb in the simulated world (%s tier)', (streams) => {
  it('shared-links=on-create (the fix): the first wake creates the DB, reads it empty, writes its row; the manifest row has mode create; the next wake restores it', async () => {
    const tenant = freshTenant({ streams });
    expect(await tenant.wakeFor('one')).toBe('completed');
    expect(await tenant.wakeFor('two')).toBe('completed');
    expect(tenant.seen).toEqual([
      { wired: true, before: [], after: [{ key: 'wake-1', value: ['one'] }] },
      { wired: true, before: [{ key: 'wake-1', value: ['one'] }], after: [{ key: 'wake-1', value: ['one'] }, { key: 'wake-2', value: ['two'] }] },
    ]);
    expect((await tenant.manifest()).value).toEqual([{ shared_id: SHARED_ID, mode: 'create' }]);
    expect(tenant.observed('shared-state-created').map((detail) => [detail['status'], detail['linked']])).toEqual([[201, true]]);
    expect(tenant.observed('observe-called').map((detail) => detail['created'])).toEqual([true, false]);
    expect(tenant.storedKeys()).toEqual(['wake-1', 'wake-2']);
  });

  it('shared-links=on-manifest (B8): every wake is refused its preload, stages its row on the unwired handle, and fails at the flush: no manifest, no link, no row', async () => {
    const tenant = freshTenant({ streams, wiring: 'swallow' }, 'on-manifest');
    expect(await tenant.wakeFor('one')).toBe('failed');
    expect(await tenant.wakeFor('two')).toBe('failed');
    // The handler ran on an unwired handle each time: staged reads empty, its write staged.
    expect(tenant.seen.map((wake) => [wake.wired, wake.before])).toEqual([[false, []], [false, []]]);
    const refused = tenant.observed('stream-read').filter((detail) => detail['stream'] === sharedStateStream(SHARED_ID));
    expect(refused.map((detail) => detail['status'])).toEqual([401, 401]);
    expect(tenant.observed('preload-failed').map((detail) => String(detail['error']))).toEqual([expect.stringContaining(SHARED_READ_REFUSED), expect.stringContaining(SHARED_READ_REFUSED)]);
    expect(tenant.observed('wake-failed').map((detail) => detail['error'])).toEqual([
      `Error: shared DB "${SHARED_ID}" was never wired in this wake: 1 staged write(s) cannot be flushed`,
      `Error: shared DB "${SHARED_ID}" was never wired in this wake: 1 staged write(s) cannot be flushed`,
    ]);
    expect((await tenant.manifest()).value).toEqual([]);
    expect(tenant.observed('shared-link-projected')).toEqual([]);
    expect(tenant.storedKeys()).toEqual([]);
  });
});
