import type { SimContext } from '../../sim/run/SimContext.ts';
import { errorAnswer, jsonAnswer, jsonBodyOf } from '../http/answers.ts';
import type { SimRequest } from '../http/SimRequest.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import type { SimService } from '../network/Network.ts';

/** The actor of the chat's observations. */
export const CHAT = 'chat';

/** Settings of the chat service. */
export interface ChatOptions {
  /**
   * Whether a post carrying an `idempotency_key` already seen is answered with the first post's id instead of being
   * posted again (as chat APIs with idempotency keys do). Off: every post is a new message.
   */
  readonly honorIdempotencyKeys: boolean;
}

/**
 * The outside world an entity acts on: a chat channel at `POST /channels/:channel/messages` with a JSON body
 * `{ entity, action, text, idempotency_key? }`, answering `201 { id }`. Every post it accepts is an external side
 * effect, recorded as the observation `action-performed` (peer, entity, action): the ground truth of the duplicate-
 * and missed-action properties. A deduplicated post is recorded as `post-deduplicated` and performs nothing; a request
 * it refuses as `post-refused`.
 */
export class ChatService implements SimService {
  readonly name = CHAT;
  readonly up = true;
  private posted = 0;
  private readonly byKey = new Map<string, string>();

  constructor(
    private readonly sim: SimContext,
    private readonly options: ChatOptions,
  ) {}

  serve(request: SimRequest): SimResponse {
    const refuse = (status: number, code: string, message: string): SimResponse => {
      this.sim.trace.record(this.name, 'post-refused', { peer: request.peer, method: request.method, path: request.url.pathname, status });
      return errorAnswer(status, code, message);
    };
    const match = /^\/channels\/([^/]+)\/messages$/.exec(request.url.pathname);
    if (!match) return refuse(404, 'NOT_FOUND', `no route ${request.url.pathname}`);
    if (request.method !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', request.method);
    const body = jsonBodyOf(request) as { entity?: unknown; action?: unknown; idempotency_key?: unknown } | undefined;
    if (typeof body?.entity !== 'string' || typeof body.action !== 'string') return refuse(400, 'INVALID_REQUEST', 'entity and action are required');
    const key = typeof body.idempotency_key === 'string' ? body.idempotency_key : undefined;
    const channel = decodeURIComponent(match[1]!);
    const earlier = key === undefined || !this.options.honorIdempotencyKeys ? undefined : this.byKey.get(key);
    if (earlier !== undefined) {
      this.sim.trace.record(this.name, 'post-deduplicated', { peer: request.peer, channel, entity: body.entity, action: body.action, id: earlier });
      return jsonAnswer(200, { id: earlier });
    }
    this.posted += 1;
    const id = `m${this.posted}`;
    if (key !== undefined) this.byKey.set(key, id);
    this.sim.trace.record(this.name, 'action-performed', { peer: request.peer, channel, entity: body.entity, action: body.action, id });
    return jsonAnswer(201, { id });
  }
}
