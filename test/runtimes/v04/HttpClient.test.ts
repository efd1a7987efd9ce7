import { describe, expect, it } from 'vitest';
import { HttpClient, answerError, type HttpAnswer } from '../../../runtimes/v04/clients/HttpClient.ts';
import { TRANSPORTS, type Transport } from '../../../runtimes/v04/config.ts';
import { HttpStatusError, describeError } from '../../../runtimes/v04/errors.ts';
import { drain } from '../../world/simHelpers.ts';
import { FAKE_URLS, FakeHost, emptyAnswer, errorAnswer, held, jsonAnswer, textAnswer, type Responder } from './fakeHost.ts';

const CLAIM_URL = `${FAKE_URLS.agentsServer}/_electric/runners/runner-1/claim`;
const READ_URL = `${FAKE_URLS.durableStreams}/v1/stream/entities/e1/inbox?offset=-1&live=long-poll`;

/** A client over `transport` of a host whose every request to `path` is answered by `respond`. */
function clientAnswering(transport: Transport, path: string, respond: Responder) {
  const host = new FakeHost().on('POST', path, respond).on('GET', path, respond);
  return { host, http: new HttpClient(host.context, transport) };
}

describe('HttpClient over direct and fetch', () => {
  it('sends the same request either way: method, URL, headers, body', async () => {
    const sentOver = async (transport: Transport) => {
      const host = new FakeHost().on('POST', '/_electric/runners/runner-1/claim', () => emptyAnswer(204)).on('GET', '/v1/stream/entities/e1/inbox', () => emptyAnswer(204));
      const http = new HttpClient(host.context, transport);
      await http.request('POST', CLAIM_URL, { json: { subscription_id: 'sub:e1' }, headers: { authorization: 'Bearer wt_1' } });
      await http.request('GET', READ_URL);
      return host.requests;
    };
    const overDirect = await sentOver('direct');
    expect(overDirect).toEqual([
      {
        method: 'POST',
        url: CLAIM_URL,
        target: '/_electric/runners/runner-1/claim',
        headers: { authorization: 'Bearer wt_1', 'content-type': 'application/json' },
        body: '{"subscription_id":"sub:e1"}',
      },
      { method: 'GET', url: READ_URL, target: '/v1/stream/entities/e1/inbox?offset=-1&live=long-poll', headers: {}, body: undefined },
    ]);
    expect(await sentOver('fetch')).toEqual(overDirect);
  });

  it('maps every answer, refusals included, to the same status, headers and text either way', async () => {
    const answers = [
      jsonAnswer(200, { wake_id: 'w1' }, { 'stream-next-offset': '0000000000000000_0000000000000042' }),
      emptyAnswer(204),
      textAnswer(404, 'Stream not found'),
      errorAnswer(503, 'SERVICE_UNAVAILABLE', 'agents-server is unavailable'),
    ];
    const mappedOver = async (transport: Transport): Promise<HttpAnswer[]> => {
      const mapped: HttpAnswer[] = [];
      for (const answer of answers) mapped.push(await clientAnswering(transport, '/x', () => answer).http.request('POST', `${FAKE_URLS.agentsServer}/x`));
      return mapped;
    };
    const overDirect = await mappedOver('direct');
    expect(overDirect).toEqual([
      { status: 200, headers: { 'content-type': 'application/json', 'stream-next-offset': '0000000000000000_0000000000000042' }, text: '{"wake_id":"w1"}' },
      { status: 204, headers: {}, text: '' },
      { status: 404, headers: { 'content-type': 'text/plain' }, text: 'Stream not found' },
      { status: 503, headers: { 'content-type': 'application/json' }, text: '{"error":{"code":"SERVICE_UNAVAILABLE","message":"agents-server is unavailable"}}' },
    ]);
    expect(await mappedOver('fetch')).toEqual(overDirect);
  });

  it.each(TRANSPORTS)('over %s, a refused connection rejects as fetch rejects', async (transport) => {
    const refused: Responder = () => Promise.reject(new TypeError('fetch failed'));
    await expect(clientAnswering(transport, '/x', refused).http.request('GET', `${FAKE_URLS.agentsServer}/x`)).rejects.toThrow(new TypeError('fetch failed'));
  });

  it.each(TRANSPORTS)('over %s, aborting a request on the wire rejects it with the signal\'s reason', async (transport) => {
    const { host, http } = clientAnswering(transport, '/v1/stream/entities/e1/inbox', held);
    const connection = new AbortController();
    const reading = http.request('GET', READ_URL, { signal: connection.signal });
    await drain();
    const reason = new Error('stop reading');
    connection.abort(reason);
    await expect(reading).rejects.toBe(reason);
    expect(host.sent()).toEqual(['GET /v1/stream/entities/e1/inbox?offset=-1&live=long-poll']);
  });

  it.each(TRANSPORTS)('over %s, a request whose signal already aborted never reaches the service', async (transport) => {
    const { host, http } = clientAnswering(transport, '/x', () => emptyAnswer(204));
    const reason = new Error('stopped before');
    await expect(http.request('POST', `${FAKE_URLS.agentsServer}/x`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(host.requests).toEqual([]);
  });
});

describe('answerError', () => {
  const answer = (status: number, text: string): HttpAnswer => ({ status, headers: {}, text });

  it("takes the agents server's code and message from its JSON error body", () => {
    const error = answerError(answer(409, '{"error":{"code":"FENCED","message":"generation 1 is fenced"}}'), 'DONE_FAILED');
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 409, code: 'FENCED', message: 'generation 1 is fenced' });
    expect(answerError(answer(401, '{"error":{"code":"INVALID_WRITE_TOKEN"}}'), 'X').message).toBe('INVALID_WRITE_TOKEN');
  });

  it("falls back to the caller's code for the Durable Streams service's plain sentences and other bodies", () => {
    expect(answerError(answer(400, 'Invalid offset format'), 'STREAM_READ_FAILED')).toMatchObject({ status: 400, code: 'STREAM_READ_FAILED', message: 'Invalid offset format' });
    expect(answerError(answer(500, ''), 'CLAIM_FAILED')).toMatchObject({ code: 'CLAIM_FAILED', message: 'HTTP 500' });
    expect(answerError(answer(500, 'null'), 'CLAIM_FAILED').code).toBe('CLAIM_FAILED');
    expect(answerError(answer(500, '{"error":{"code":7}}'), 'CLAIM_FAILED').code).toBe('CLAIM_FAILED');
  });

  it('describes itself in one line for annotations', () => {
    expect(describeError(new HttpStatusError(404, 'STREAM_NOT_FOUND', 'Stream not found'))).toBe('HttpError 404 STREAM_NOT_FOUND: Stream not found');
    expect(describeError(new TypeError('fetch failed'))).toBe('TypeError: fetch failed');
  });
});
