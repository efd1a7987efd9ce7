import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { LINK_PROJECTION_MAX_DELAY_MS, SHARED_READ_REFUSED } from '../../world/agents-server/AgentsServer.ts';
import type { SharedLinks } from '../../world/agents-server/SharedStateLinks.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';
import { bodyText } from '../../world/http/messageBody.ts';
import { simRequest } from '../../world/http/SimRequest.ts';
import { SERVICE_ORIGINS, World } from '../../world/World.ts';
import { makeSim } from './simHelpers.ts';

const SHARED = '/v1/stream/shared/';

/** The world with entities e1 and e2 on runner r1, each with a claimed wake whose write token is returned. */
function setup(sharedLinks?: SharedLinks) {
  const sim = makeSim();
  const world = new World(sim, {
    faults: new Set(),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    resumeOffsetSource: 'none',
    leaseTtlMs: 30_000,
    longPollTimeoutMs: 20_000,
    chat: { honorIdempotencyKeys: false },
    ...(sharedLinks ? { sharedLinks } : {}),
  });
  const call = (method: string, path: string, token?: string, body?: unknown) => {
    const answer = world.agentsServer.serve(
      simRequest({
        method,
        url: `${SERVICE_ORIGINS.agentsServer}${path}`,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        peer: 'test',
      }),
    );
    const text = bodyText(answer);
    return { status: answer.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  /** A catch-up read of shared state `id` from the Durable Streams service, as a wake with `token` sends it. */
  const read = async (id: string, token?: string) => {
    const answer = await world.streamsFront.serve(
      simRequest({ method: 'GET', url: `${SERVICE_ORIGINS.durableStreams}${SHARED}${id}?offset=-1`, headers: token ? { authorization: `Bearer ${token}` } : {}, peer: 'test' }),
    );
    return { status: answer.status, text: bodyText(answer) };
  };
  call('POST', '/_electric/runners', undefined, { id: 'r1', label: 'host' });
  const tokenOf = (entity: string): string => {
    world.agentsServer.createEntity({ id: entity, type: 'echo', runner: 'r1', sources: [] });
    world.streams.append(`/v1/stream/entities/${entity}/inbox`, 'hello');
    const wake = call('POST', '/_electric/runners/r1/claim', undefined, { subscription_id: `sub:${entity}` });
    expect(wake.status).toBe(200);
    return String(wake.body['write_token']);
  };
  return { sim, world, call, read, e1: tokenOf('e1'), e2: tokenOf('e2') };
}

const refusal = { status: 401, text: JSON.stringify({ error: { code: 'UNAUTHORIZED', message: SHARED_READ_REFUSED } }) };

describe('shared-state links (B8)', () => {
  it('on-create (the default, the fix): the create route makes the stream and links its creator, whose reads are served', async () => {
    const { world, call, read, e1, e2 } = setup();
    expect(call('PUT', '/_electric/shared-state/db1', e1)).toEqual({ status: 201, body: { shared_id: 'db1' } });
    expect(world.streams.has(`${SHARED}db1`)).toBe(true);
    expect((await read('db1', e1)).status).toBe(200);
    // Another entity, and a read with no token, have no link.
    expect(await read('db1', e2)).toEqual(refusal);
    expect(await read('db1')).toEqual(refusal);
    // Creating it again: the creator is answered 200, another entity 409.
    expect(call('PUT', '/_electric/shared-state/db1', e1).status).toBe(200);
    expect(call('PUT', '/_electric/shared-state/db1', e2).status).toBe(409);
    expect(call('PUT', '/_electric/shared-state/db2').status).toBe(401);
  });

  it('on-manifest (B8): the creator is refused until a committed manifest naming the state is projected, after a delay', async () => {
    const { sim, call, read, e1 } = setup('on-manifest');
    expect(call('PUT', '/_electric/shared-state/db1', e1).status).toBe(201);
    expect(await read('db1', e1)).toEqual(refusal);
    expect(call('POST', '/_electric/entities/e1/manifest', e1, { rows: [{ shared_id: 'db1', mode: 'create' }] }).status).toBe(204);
    // The projection is asynchronous: still refused right after the commit.
    expect((await read('db1', e1)).status).toBe(401);
    await runLoop(sim.scheduler, { horizonMs: LINK_PROJECTION_MAX_DELAY_MS, maxSteps: 100 });
    expect((await read('db1', e1)).status).toBe(200);
    expect(sim.trace.events.filter((event) => event.kind === 'shared-link-projected').map((event) => event.detail)).toEqual([{ entity: 'e1', sharedId: 'db1', delayMs: 0 }]);
  });

  it('a shared stream the server did not create (set up beside it, as the connect-mode scenarios do) is read by anyone', async () => {
    const { world, read } = setup('on-manifest');
    world.streams.create(`${SHARED}pre`);
    expect((await read('pre')).status).toBe(200);
  });
});
