import { describe, expect, it } from 'vitest';
import { db, type EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { sharedStateStream, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { StopAckMode } from '../../../runtimes/v04/config.ts';
import { createV04Environment } from '../../../runtimes/v04/V04Environment.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { simulatedWorldHost } from './simulatedWorldHost.ts';

const ENTITY = 'e1';
const INBOX = `entities/${ENTITY}/inbox`;
const SHARED_ID = 'digest';

/**
 * One wake of an entity in the simulated world, claimed for the message `one`, during which a stop begins and the
 * message `two` arrives after the wake read its inputs (O3's trigger). `abandon`: the stop begins before the
 * handler's `observe`, whose preload fails once, so the wake is abandoned before its retry; otherwise the stop begins
 * after `observe`, so the pass completes during the stop.
 */
async function wakeDuringStop(stopAck: StopAckMode, abandon: boolean) {
  // wiring=retry: a stop is seen between two preload attempts, so a failed preload lets the stop abandon the wake.
  const { sim, world, process, host, time } = simulatedWorldHost({ wiring: 'retry', 'stop-ack': stopAck });
  world.streams.create(streamPath(sharedStateStream(SHARED_ID)));
  world.agentsServer.createEntity({ id: ENTITY, type: 'echo', runner: 'runner-1', sources: [] });
  const env = createV04Environment(host);
  let stopping = false;
  const given: unknown[] = [];
  const handler: EntityHandler = async (ctx) => {
    given.push(...ctx.inputs.map((input) => input.value));
    world.streams.append(streamPath(INBOX), 'two');
    if (abandon) {
      stopping = true;
      world.arm('preload-not-found');
    }
    await ctx.observe(db(SHARED_ID));
    stopping = true;
  };
  world.streams.append(streamPath(INBOX), 'one');
  const { value: outcome, error } = await time.settle(() =>
    process.run(async () => {
      const claimed = await env.agents.claim('runner-1', `sub:${ENTITY}`);
      if (claimed.kind !== 'wake') throw new Error(`expected a wake, got ${claimed.reason}`);
      return processWake(env, claimed.notification, handler, () => stopping);
    }),
  );
  if (error) throw error;
  const [first, second] = world.streams.read(streamPath(INBOX), '-1').items.map((item) => item.offset);
  const dones = sim.trace.events.filter((event) => event.kind === 'done-received').map((event) => event.detail['acks']);
  return { outcome, given, dones, first, second };
}

describe('processWake: what a wake that ends during a stop acks (stop-ack, historical O3)', () => {
  it('given: a pass that completes during the stop acks the end of what it read, before the message that came after', async () => {
    const { outcome, given, dones, first } = await wakeDuringStop('given', false);
    expect([outcome, given]).toEqual(['completed', ['one']]);
    expect(dones).toEqual([[{ stream: INBOX, offset: first }]]);
  });

  it('tail: the same pass acks the inbox at its tail, past the message no handler was given', async () => {
    const { outcome, given, dones, second } = await wakeDuringStop('tail', false);
    expect([outcome, given]).toEqual(['completed', ['one']]);
    expect(dones).toEqual([[{ stream: INBOX, offset: second }]]);
  });

  it('given: a wake the stop abandons sends no done', async () => {
    const { outcome, dones } = await wakeDuringStop('given', true);
    expect([outcome, dones]).toEqual(['abandoned', []]);
  });

  it("tail: the stop's cleanup sends the abandoned wake's done at the inbox's tail", async () => {
    const { outcome, dones, second } = await wakeDuringStop('tail', true);
    expect(outcome).toBe('abandoned');
    expect(dones).toEqual([[{ stream: INBOX, offset: second }]]);
  });
});
