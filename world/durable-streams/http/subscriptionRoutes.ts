import type { SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import {
  SUBSCRIPTION_STREAM_ROOT,
  normalizeStreamName,
  type SubscriptionAnswer,
  type SubscriptionErrorCode,
  type SubscriptionFailure,
  type WakeReport,
} from '../ReferenceSubscriptions.ts';
import { parseSubscriptionInput } from './parseSubscriptionInput.ts';
import { emptyResponse, jsonResponse, methodNotAllowed } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

/** The control namespace: the reference reserves it on the stream root and answers every path under it itself. */
const CONTROL_PREFIX = `${SUBSCRIPTION_STREAM_ROOT}__ds`;
const SUBSCRIPTIONS_PREFIX = `${CONTROL_PREFIX}/subscriptions/`;
const JWKS_PATH = `${CONTROL_PREFIX}/jwks.json`;

type Action = 'base' | 'streams' | 'stream' | 'callback' | 'claim' | 'ack' | 'release';
interface Route {
  readonly id: string;
  readonly action: Action;
  readonly streamName?: string;
}

/**
 * The pull-wake subscription routes, mapped onto {@link ReferenceSubscriptions}:
 * `PUT|GET|DELETE /v1/stream/__ds/subscriptions/:id`, `POST .../:id/streams`, `DELETE .../:id/streams/:name`,
 * `.../:id/claim`, `.../:id/ack`, `.../:id/release` and `.../:id/callback` (any method, as in the reference), and
 * `GET /v1/stream/__ds/jwks.json`. Answers `undefined` for a path outside the control namespace, so the caller
 * treats it as a stream.
 *
 * @throws anything but a JSON syntax error, as the reference's routes do; the facade answers 500 for it.
 */
export function subscriptionRoutes(context: StreamsHttpContext, method: string, path: string, request: SimRequest): SimResponse | undefined {
  if (path === JWKS_PATH) {
    // Webhooks are not simulated, so there is no signing key to publish.
    if (method !== 'GET') return methodNotAllowed();
    return jsonResponse(200, { keys: [] }, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' });
  }
  const route = parseRoute(path);
  if (!route) {
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      return failure({ status: 404, code: 'SUBSCRIPTION_NOT_FOUND', message: 'Durable Streams control route not found' });
    }
    return undefined;
  }
  try {
    return answer(context, route, method, request);
  } catch (error) {
    if (error instanceof SyntaxError) return failure({ status: 400, code: 'INVALID_REQUEST', message: 'Invalid JSON body' });
    throw error;
  }
}

function answer(context: StreamsHttpContext, route: Route, method: string, request: SimRequest): SimResponse {
  const subscriptions = context.subscriptions;
  switch (route.action) {
    case 'base': {
      if (method === 'PUT') {
        const parsed = parseSubscriptionInput(readJson(request));
        if ('error' in parsed) return failure(invalidRequest(parsed.error));
        const defined = subscriptions.define(route.id, parsed.input);
        if (!defined.ok) return failure(defined.failure);
        return jsonResponse(defined.value.created ? 201 : 200, defined.value.view);
      }
      if (method === 'GET') {
        const view = subscriptions.view(route.id);
        return view ? jsonResponse(200, view) : failure(subscriptionNotFound);
      }
      if (method === 'DELETE') {
        subscriptions.remove(route.id);
        return emptyResponse(204);
      }
      return methodNotAllowed();
    }
    case 'streams': {
      if (method !== 'POST') return methodNotAllowed();
      const streams = (readJson(request) as { streams?: unknown }).streams;
      // An empty list passes, as in the reference: only non-strings and empty names are refused.
      if (!Array.isArray(streams) || streams.some((stream) => typeof stream !== 'string' || stream.length === 0)) {
        return failure(invalidRequest('streams must be a non-empty string array'));
      }
      return subscriptions.linkStreams(route.id, (streams as string[]).map(normalizeStreamName)) ? emptyResponse(204) : failure(subscriptionNotFound);
    }
    case 'stream':
      if (method !== 'DELETE') return methodNotAllowed();
      return subscriptions.unlinkStream(route.id, route.streamName ?? '') ? emptyResponse(204) : failure(subscriptionNotFound);
    case 'claim': {
      const worker = (readJson(request) as { worker?: unknown }).worker;
      if (typeof worker !== 'string' || worker.length === 0) return failure(invalidRequest('worker must be a non-empty string'));
      return managerAnswer(subscriptions.claim(route.id, worker));
    }
    case 'ack':
    case 'callback': {
      const token = bearerToken(request);
      if (!token) return failure(missingToken);
      const report = readJson(request) as WakeReport;
      return managerAnswer(subscriptions.acknowledge(route.id, token, report, route.action === 'ack'), (value) => ({ ok: true, ...value }));
    }
    case 'release': {
      const token = bearerToken(request);
      if (!token) return failure(missingToken);
      const report = readJson(request) as WakeReport;
      const released = subscriptions.release(route.id, token, report);
      return released.ok ? emptyResponse(204) : failure(released.failure);
    }
  }
}

function parseRoute(path: string): Route | undefined {
  if (!path.startsWith(SUBSCRIPTIONS_PREFIX)) return undefined;
  const parts = path.slice(SUBSCRIPTIONS_PREFIX.length).split('/');
  const id = parts[0] ? decodeURIComponent(parts[0]) : '';
  if (!id) return undefined;
  const tail = parts.slice(1);
  if (tail.length === 0) return { id, action: 'base' };
  if (tail[0] === 'streams' && tail.length === 1) return { id, action: 'streams' };
  if (tail[0] === 'streams') return { id, action: 'stream', streamName: normalizeStreamName(decodeURIComponent(tail.slice(1).join('/'))) };
  if (tail.length === 1 && (['callback', 'claim', 'ack', 'release'] as const).includes(tail[0] as 'ack')) {
    return { id, action: tail[0] as Action };
  }
  return undefined;
}

/** The body as JSON; an empty body reads as `{}`. Decoded like Node's Buffer (a BOM stays, and JSON refuses it). */
function readJson(request: SimRequest): unknown {
  const body = request.body;
  const raw = body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : '';
  return raw.length > 0 ? JSON.parse(raw) : {};
}

function bearerToken(request: SimRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (!header || !header.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length);
}

function managerAnswer<T>(answer: SubscriptionAnswer<T>, body: (value: T) => unknown = (value) => value): SimResponse {
  return answer.ok ? jsonResponse(200, body(answer.value)) : failure(answer.failure);
}

/** The reference's error body: `{"error":{"code":...,"message":...}}`, or holder and generation for ALREADY_CLAIMED. */
function failure(failed: SubscriptionFailure): SimResponse {
  const { status, code, message, current_holder, generation } = failed;
  return jsonResponse(status, { error: { code, message, current_holder, generation } });
}

const invalidRequest = (message: string): SubscriptionFailure => ({ status: 400, code: 'INVALID_REQUEST' satisfies SubscriptionErrorCode, message });
const subscriptionNotFound: SubscriptionFailure = { status: 404, code: 'SUBSCRIPTION_NOT_FOUND', message: 'Subscription not found' };
const missingToken: SubscriptionFailure = { status: 401, code: 'TOKEN_INVALID', message: 'Missing or malformed Authorization header' };
