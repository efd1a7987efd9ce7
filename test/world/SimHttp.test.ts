import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { abortReason } from '../../world/http/abortReason.ts';
import { fetchOver } from '../../world/http/fetchOver.ts';
import { fetchResponseFrom } from '../../world/http/fetchResponseFrom.ts';
import { headerOf } from '../../world/http/headerOf.ts';
import { bodyJson, bodyText } from '../../world/http/messageBody.ts';
import type { SimHttpHandler } from '../../world/http/SimHttpHandler.ts';
import { simRequest, type SimRequest } from '../../world/http/SimRequest.ts';
import type { SimResponse } from '../../world/http/SimResponse.ts';
import { simRequestFromFetch } from '../../world/http/simRequestFromFetch.ts';
import { drain, track } from './simHelpers.ts';

/**
 * The plain HTTP types and their WHATWG adapters: a request built plain is the request `fetch` would send, an answer
 * made a `Response` has exactly the answer's status, headers and body, and aborts reach the server and come back as
 * `fetch` reports them.
 */

const ORIGIN = 'http://service.sim';

/** What a test compares of a request: the URL as text, the headers in name order. */
function comparable(request: SimRequest) {
  return {
    method: request.method,
    url: request.url.href,
    headers: [...request.headers].sort(([a], [b]) => (a < b ? -1 : 1)),
    body: request.body === undefined ? undefined : [...request.body],
    peer: request.peer,
  };
}

const headerName = fc.constantFrom('content-type', 'stream-seq', 'producer-id', 'authorization', 'x-thing');
/** A header value with the whitespace a `Headers` trims, sometimes. */
const headerValue = fc.tuple(fc.constantFrom('', ' ', '\t', '  '), fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', ';', '=', ' ', '"'), maxLength: 8 }), fc.constantFrom('', ' ', '\t'));
const mixedCase = (name: string) => fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const headers = fc
  .uniqueArray(fc.tuple(headerName, headerValue), { selector: ([name]) => name, maxLength: 4 })
  .chain((entries) => fc.tuple(...entries.map(([name, [lead, value, trail]]) => mixedCase(name).map((cased) => [cased, `${lead}${value}${trail}`] as const))))
  .map((entries) => Object.fromEntries(entries));
const body = fc.oneof(fc.constant(undefined), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('\uFEFF[1]', ''), fc.uint8Array({ maxLength: 6 }));

describe('simRequest', () => {
  test.prop([fc.constantFrom('get', 'GET', 'Post', 'put', 'DELETE', 'PATCH', 'options', 'head'), fc.constantFrom('/s', '/v1/stream/a?offset=-1&live=long-poll', '/%7Ex/y?q=%20'), headers, body])(
    'builds the request a WHATWG Request carries',
    async (method, target, headerRecord, payload) => {
      // A GET or HEAD with a body is refused by `Request`, so none is sent.
      const sent = ['GET', 'HEAD'].includes(method.toUpperCase()) ? undefined : payload;
      const init = { method, headers: headerRecord, body: sent };
      const plain = simRequest({ ...init, url: ORIGIN + target, peer: 'test' });
      const overFetch = await simRequestFromFetch(new Request(ORIGIN + target, init), 'test');
      expect(comparable(plain)).toEqual(comparable(overFetch));
    },
  );

  it('gives a string body the content type fetch gives it, and keeps one that is named', () => {
    expect(headerOf(simRequest({ method: 'POST', url: `${ORIGIN}/s`, body: 'x', peer: 'test' }), 'Content-Type')).toBe('text/plain;charset=UTF-8');
    expect(headerOf(simRequest({ method: 'POST', url: `${ORIGIN}/s`, headers: { 'Content-Type': 'application/json' }, body: '[1]', peer: 'test' }), 'content-type')).toBe('application/json');
    expect(simRequest({ method: 'POST', url: `${ORIGIN}/s`, body: new Uint8Array([1]), peer: 'test' }).headers.has('content-type')).toBe(false);
  });
});

describe('reading a message', () => {
  const withBom = fc.boolean();
  test.prop([
    fc.tuple(withBom, fc.string({ unit: 'grapheme', maxLength: 8 })).map(([bom, text]) => (bom ? `\uFEFF${text}` : text)),
    fc.tuple(withBom, fc.uint8Array({ maxLength: 8 })).map(([bom, bytes]) => (bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes)),
  ])(
    'bodyText decodes text and bytes as Response.text() does',
    async (text, bytes) => {
      const answer = (body: string | Uint8Array): SimResponse => ({ status: 200, headers: {}, body });
      expect(bodyText(answer(text))).toBe(await new Response(text).text());
      expect(bodyText(answer(bytes))).toBe(await new Response(bytes).text());
    },
  );

  it('bodyJson parses, an absent body is empty text, headerOf ignores case and inherited names', () => {
    const request = simRequest({ method: 'POST', url: `${ORIGIN}/s`, headers: { 'X-Thing': 'yes' }, body: '{"a":[1]}', peer: 'test' });
    expect(bodyJson(request)).toEqual({ a: [1] });
    expect(bodyText({ status: 204, headers: {}, body: null })).toBe('');
    expect(headerOf(request, 'x-THING')).toBe('yes');
    const answer: SimResponse = { status: 200, headers: { etag: '"e"' }, body: null };
    expect(headerOf(answer, 'ETag')).toBe('"e"');
    expect(headerOf(answer, 'constructor')).toBeUndefined();
  });
});

describe('fetchResponseFrom', () => {
  it('gives 204 and 304 a null body whatever the answer carries, and an empty body stays a body elsewhere', async () => {
    for (const status of [204, 304]) expect(fetchResponseFrom({ status, headers: {}, body: '' }).body).toBeNull();
    expect(fetchResponseFrom({ status: 404, headers: {}, body: null }).body).toBeNull();
    const empty = fetchResponseFrom({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: '' });
    expect(empty.body).not.toBeNull();
    expect(await empty.text()).toBe('');
  });

  it('carries exactly the answer’s headers: none invented for a text body, names read in any case', async () => {
    const response = fetchResponseFrom({ status: 200, headers: { 'stream-next-offset': '0_5', etag: '"e"' }, body: 'héllo' });
    expect([...response.headers]).toEqual([
      ['etag', '"e"'],
      ['stream-next-offset', '0_5'],
    ]);
    expect(response.headers.get('Stream-Next-Offset')).toBe('0_5');
    expect(await response.text()).toBe('héllo');
  });

  it('copies a byte body: the answer’s array can be reused', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const response = fetchResponseFrom({ status: 200, headers: {}, body: bytes });
    bytes.fill(0);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});

describe('fetchOver', () => {
  /** Answers every request with what it saw of it; holds `/held` until the request is aborted. */
  function echoServer() {
    const seen: SimRequest[] = [];
    const serve: SimHttpHandler = async (request) => {
      seen.push(request);
      const signal = request.signal;
      if (request.url.pathname === '/held' && signal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true }));
      }
      return { status: 200, headers: { 'content-type': 'application/json', 'x-peer': request.peer }, body: JSON.stringify(comparable(request)) };
    };
    return { seen, fetch: fetchOver(serve, 'host#2') };
  }

  it('hands the server the plain request from its peer, and the caller the answer', async () => {
    const { fetch } = echoServer();
    const response = await fetch(`${ORIGIN}/s?offset=-1`, { method: 'post', headers: { 'Content-Type': ' application/json ' }, body: '[1]' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-peer')).toBe('host#2');
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${ORIGIN}/s?offset=-1`,
      headers: [['content-type', 'application/json']],
      body: [...new TextEncoder().encode('[1]')],
      peer: 'host#2',
    });
  });

  it('rejects a request aborted before it is sent with the signal’s reason, and never serves it', async () => {
    const { seen, fetch } = echoServer();
    const controller = new AbortController();
    const reason = new Error('gone');
    controller.abort(reason);
    await expect(fetch(`${ORIGIN}/s`, { signal: controller.signal })).rejects.toBe(reason);
    expect(seen).toHaveLength(0);
  });

  it('passes the signal through: aborting a held request rejects it with the signal’s reason', async () => {
    const { seen, fetch } = echoServer();
    const controller = new AbortController();
    const held = track(fetch(`${ORIGIN}/held`, { signal: controller.signal }));
    await drain();
    expect(seen).toHaveLength(1);
    expect(held.settled).toBe(false);
    controller.abort();
    await drain();
    expect(held.error).toMatchObject({ name: 'AbortError' });
  });

  it('rejects, not throws, what a Request refuses', async () => {
    const { fetch } = echoServer();
    let pending: Promise<Response> | undefined;
    expect(() => (pending = fetch('/relative'))).not.toThrow();
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});
