import { describe, expect, it } from 'vitest';
import { db, type EntityHandler, type JsonValue } from '../../../protocol/entity/EntityHandler.ts';
import { sharedStateStream, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { STREAMS_TIERS, type V04Config } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
const SHARED_ID = 'digest';

/**
 * One entity in the simulated world with a shared DB, and a host process that claims its wakes over HTTP and
 * processes each with a handler. Each handler records what it saw and writes a row of what it read into the DB (so
 * the DB goes into the entity's manifest and the next wake restores it).
 */
function entityWorld(config: Partial<V04Config>) {
  const { sim, world, process, host, time } = simulatedWorldHost(config);
  world.streams.create(streamPath(sharedStateStream(SHARED_ID)));
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  const env = createV04Environment(host);
  const seen: Array<{ inputs: JsonValue[]; rows: unknown }> = [];
  const record: EntityHandler = async (ctx) => {
    const handle = await ctx.observe(db(SHARED_ID));
    seen.push({ inputs: ctx.inputs.map((input) => input.value), rows: handle.toArray() });
    await handle.insert({ key: `wake-${seen.length}`, value: ctx.inputs.map((input) => input.value) });
  };
  const claimAndProcess = async () => {
    const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
    if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
    return processWake(env, claimed.notification, record, () => false);
  };
  return {
    world,
    sim,
    seen,
    /** Appends `message` to the inbox, then claims and processes the wake it issues. */
    async wakeFor(message: string) {
      world.streams.append(streamPath(INBOX), message);
      const { value, error } = await time.settle(() => process.run(claimAndProcess));
      if (error) throw error;
      return value;
    },
    observed: (kind: string) => sim.trace.events.filter((event) => event.kind === kind).map((event) => event.detail),
    inboxOffsets: () => world.streams.read(streamPath(INBOX), '-1').items.map((item) => item.offset),
  };
}

/** Two wakes: the first reads its inbox and records it in the DB; the second reads the row back from the restored DB. */
async function twoWakes(config: Partial<V04Config>) {
  const entity = entityWorld(config);
  const outcomes = [await entity.wakeFor('one'), await entity.wakeFor('two')];
  return { ...entity, outcomes };
}

describe.each(STREAMS_TIERS)('processWake in the simulated world (%s tier)', (streams) => {
  it('a row the first wake writes through the server is what the next wake reads from the DB its manifest restores', async () => {
    const { outcomes, seen, observed } = await twoWakes({ streams });
    expect(outcomes).toEqual(['completed', 'completed']);
    expect(seen).toEqual([
      { inputs: ['one'], rows: [] },
      { inputs: ['two'], rows: [{ key: 'wake-1', value: ['one'] }] },
    ]);
    // The first wake created the manifest row; the second restored it and added none.
    expect(observed('manifest-stored').map((detail) => [detail['sharedIds'], detail['status']])).toEqual([[[SHARED_ID], 204]]);
    expect(observed('observe-called').map((detail) => detail['created'])).toEqual([true, false]);
    expect(observed('shared-write').map((detail) => [detail['key'], detail['status']])).toEqual([
      ['wake-1', 200],
      ['wake-2', 200],
    ]);
  });

  it('each done acks the inbox at the end of what the wake read, and the server takes it', async () => {
    const { observed, inboxOffsets } = await twoWakes({ streams });
    expect(observed('done-received').map((detail) => [detail['acks'], detail['status'], detail['nextWake']])).toEqual(
      inboxOffsets().map((offset) => [[{ stream: INBOX, offset }], 200, false]),
    );
  });

  it('a wake whose restored DB cannot be wired fails closed and is still acked as consumed: the server issues no next wake for it', async () => {
    const entity = entityWorld({ streams, wiring: 'swallow' });
    expect(await entity.wakeFor('one')).toBe('completed');
    entity.world.arm('preload-not-found');
    expect(await entity.wakeFor('two')).toBe('failed');
    // The handler did not run (semantics.md §1 step 2) ...
    expect(entity.seen.map((wake) => wake.inputs)).toEqual([['one']]);
    // ... and the failed wake is acked as done, consuming its input: the runtime does not retry it (step 5).
    const [, failed] = entity.observed('done-received');
    expect([failed?.['acks'], failed?.['nextWake']]).toEqual([[{ stream: INBOX, offset: entity.inboxOffsets()[1] }], false]);
  });
});

describe('processWake in the simulated world, over each transport', () => {
  it('the services observe the same requests over direct and over fetch', async () => {
    const story = async (transport: V04Config['transport']) => (await twoWakes({ transport })).sim.trace.events;
    const overDirect = await story('direct');
    expect(new Set(overDirect.map((event) => event.actor))).toEqual(new Set(['world', 'host#1', 'agents-server', 'durable-streams']));
    expect(await story('fetch')).toEqual(overDirect);
  });
});
