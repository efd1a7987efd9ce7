import { describe, expect, it } from 'vitest';
import type { WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import { TRANSPORTS } from '../../../runtimes/v04/config.ts';
import { HttpStatusError } from '../../../runtimes/v04/errors.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import type { SimResponse } from '../../../world/http/SimResponse.ts';
import { FakeHost, emptyAnswer, errorAnswer, jsonAnswer, textAnswer } from './fakeHost.ts';

const CLAIM_PATH = '/_electric/runners/runner-1/claim';

const NOTIFICATION: WakeNotification = {
  wake_id: 'sub:e1/1',
  subscription_id: 'sub:e1',
  generation: 1,
  entity: { id: 'e1', type: 'echo' },
  streams: [{ stream: 'entities/e1/inbox', acked_offset: '-1', tail_offset: formatOffset(42), has_pending: true }],
  write_token: 'wt_000000000001',
  lease_ttl_ms: 5_000,
};

/** The agents API of a host whose agents server answers `method path` with `answer`. */
function agentsAnswering(method: string, path: string, answer: SimResponse, transport: 'direct' | 'fetch' = 'direct') {
  const host = new FakeHost({ config: { transport } }).on(method, path, () => answer);
  return { host, agents: host.environment().agents };
}

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe.each(TRANSPORTS)('AgentsApi.claim over %s', (transport) => {
  it('asks for the subscription of the wake event and maps 200 to the wake to dispatch', async () => {
    const { host, agents } = agentsAnswering('POST', CLAIM_PATH, jsonAnswer(200, NOTIFICATION), transport);
    expect(await agents.claim('runner-1', 'sub:e1')).toEqual({ kind: 'wake', notification: NOTIFICATION, sentAtMs: expect.any(Number) });
    expect(host.requests.map((request) => [request.target, request.body])).toEqual([[CLAIM_PATH, '{"subscription_id":"sub:e1"}']]);
  });

  it('maps 204 to a skip: nothing pending', async () => {
    const { agents } = agentsAnswering('POST', CLAIM_PATH, emptyAnswer(204), transport);
    expect(await agents.claim('runner-1', 'sub:e1')).toEqual({ kind: 'skip', reason: 'NO_PENDING_WORK' });
  });

  it('maps 409 ALREADY_CLAIMED to a skip: another runner holds the wake', async () => {
    const { agents } = agentsAnswering('POST', CLAIM_PATH, errorAnswer(409, 'ALREADY_CLAIMED', 'claimed by runner-2'), transport);
    expect(await agents.claim('runner-1', 'sub:e1')).toEqual({ kind: 'skip', reason: 'ALREADY_CLAIMED' });
  });

  it.each([
    ['another 409', errorAnswer(409, 'FENCED', 'generation 1 is fenced'), { status: 409, code: 'FENCED', message: 'generation 1 is fenced' }],
    ['404 ENTITY_NOT_FOUND', errorAnswer(404, 'ENTITY_NOT_FOUND', 'no entity'), { status: 404, code: 'ENTITY_NOT_FOUND' }],
    ['503 while the server restarts', errorAnswer(503, 'SERVICE_UNAVAILABLE', 'agents-server is unavailable'), { status: 503, code: 'SERVICE_UNAVAILABLE' }],
    ['a 500 in plain text', textAnswer(500, 'boom'), { status: 500, code: 'CLAIM_FAILED', message: 'boom' }],
  ])('rejects %s with an HttpStatusError', async (_, answer, expected) => {
    const { agents } = agentsAnswering('POST', CLAIM_PATH, answer, transport);
    const error = await rejectionOf(agents.claim('runner-1', 'sub:e1'));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject(expected);
  });
});

describe('AgentsApi, the other routes', () => {
  it('encodes ids in the path', async () => {
    const { host, agents } = agentsAnswering('POST', '/_electric/runners/runner%2F1/claim', emptyAnswer(204));
    await agents.claim('runner/1', 'sub:e1');
    expect(host.sent()).toEqual(['POST /_electric/runners/runner%2F1/claim']);
  });

  it('register returns the runner record, with the resume offset when the server gives one', async () => {
    const record = { id: 'runner-1', label: 'host', wake_stream: 'runners/runner-1/wake', wake_stream_offset: formatOffset(7) };
    const { host, agents } = agentsAnswering('POST', '/_electric/runners', jsonAnswer(200, record));
    expect(await agents.register('runner-1', 'host')).toEqual(record);
    expect(host.requests[0]?.body).toBe('{"id":"runner-1","label":"host"}');
  });

  it('heartbeat reports the offset; a refusal rejects', async () => {
    const path = '/_electric/runners/runner-1/heartbeat';
    const { host, agents } = agentsAnswering('POST', path, emptyAnswer(204));
    await agents.heartbeat('runner-1', formatOffset(7));
    expect(host.requests[0]?.body).toBe(`{"wake_stream_offset":"${formatOffset(7)}"}`);
    const refused = agentsAnswering('POST', path, errorAnswer(404, 'RUNNER_NOT_FOUND', 'runner runner-1 is not registered')).agents;
    await expect(refused.heartbeat('runner-1', '-1')).rejects.toMatchObject({ status: 404, code: 'RUNNER_NOT_FOUND' });
  });

  it('readManifest returns the rows', async () => {
    const rows = [{ shared_id: 'digest', mode: 'connect' }];
    const { agents } = agentsAnswering('GET', '/_electric/entities/e1/manifest', jsonAnswer(200, { rows }));
    expect(await agents.readManifest('e1')).toEqual(rows);
  });

  it("done, manifest commits and shared-state writes carry the wake's write token as a bearer token", async () => {
    const token = NOTIFICATION.write_token;
    const host = new FakeHost()
      .on('POST', '/_electric/wakes/sub%3Ae1%2F1/done', () => jsonAnswer(200, { next_wake: true }))
      .on('POST', '/_electric/entities/e1/manifest', () => emptyAnswer(204))
      .on('POST', '/_electric/shared-state/digest/rows', () => jsonAnswer(200, { offset: formatOffset(99) }));
    const agents = host.environment().agents;
    const done = { subscription_id: 'sub:e1', generation: 1, acks: [{ stream: 'entities/e1/inbox', offset: formatOffset(42) }] };
    expect(await agents.done(NOTIFICATION.wake_id, token, done)).toEqual({ next_wake: true });
    await agents.commitManifest('e1', token, [{ shared_id: 'digest', mode: 'create' }]);
    const event = { type: 'row', key: 'k', value: { key: 'k', value: 1 }, headers: { operation: 'insert' } };
    expect(await agents.writeSharedState('digest', token, event)).toBe(formatOffset(99));
    expect(host.requests.map((request) => [request.target, request.headers['authorization'], JSON.parse(request.body!)])).toEqual([
      ['/_electric/wakes/sub%3Ae1%2F1/done', `Bearer ${token}`, done],
      ['/_electric/entities/e1/manifest', `Bearer ${token}`, { rows: [{ shared_id: 'digest', mode: 'create' }] }],
      ['/_electric/shared-state/digest/rows', `Bearer ${token}`, event],
    ]);
  });

  it('a write with a token the server no longer knows rejects with its code', async () => {
    const invalid = errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    const writes = agentsAnswering('POST', '/_electric/shared-state/digest/rows', invalid).agents;
    await expect(writes.writeSharedState('digest', 'wt_lost', {})).rejects.toMatchObject({ status: 401, code: 'INVALID_WRITE_TOKEN' });
    const commits = agentsAnswering('POST', '/_electric/entities/e1/manifest', invalid).agents;
    await expect(commits.commitManifest('e1', 'wt_lost', [])).rejects.toMatchObject({ status: 401, code: 'INVALID_WRITE_TOKEN' });
  });
});
