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
 * Two wakes of one entity in the simulated world, each claimed over HTTP and processed: the first reads its inbox,
 * records what it read in a shared DB and so adds the DB to its manifest; the second restores the DB from the
 * manifest and reads the row back. Returns what the handlers saw and what the world recorded.
 */
async function twoWakes(config: Partial<V04Config>) {
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
  const wake = async () => {
    const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
    if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
    return processWake(env, claimed.notification, record, () => false);
  };
  const outcomes = [];
  for (const message of ['one', 'two']) {
    world.streams.append(streamPath(INBOX), message);
    const { value, error } = await time.settle(() => process.run(wake));
    if (error) throw error;
    outcomes.push(value);
  }
  const observed = (kind: string) => sim.trace.events.filter((event) => event.kind === kind).map((event) => event.detail);
  return { world, sim, outcomes, seen, observed };
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
    const { world, observed } = await twoWakes({ streams });
    const inboxOffsets = world.streams.read(streamPath(INBOX), '-1').items.map((item) => item.offset);
    expect(observed('done-received').map((detail) => [detail['acks'], detail['status']])).toEqual(
      inboxOffsets.map((offset) => [[{ stream: INBOX, offset }], 200]),
    );
  });
});

describe('processWake in the simulated world, over each transport', () => {
  it('the services observe the same requests over direct and over fetch', async () => {
    const story = async (transport: V04Config['transport']) => {
      const { sim } = await twoWakes({ transport });
      return sim.trace.events;
    };
    const overDirect = await story('direct');
    expect(new Set(overDirect.map((event) => event.actor))).toEqual(new Set(['host#1', 'agents-server', 'durable-streams']));
    expect(await story('fetch')).toEqual(overDirect);
  });
});
