import type { FakePullWake } from './FakePullWake.ts';
import type { FakeAnswer, FakeStreams } from './FakeStreams.ts';

const json = (status: number, value: unknown): FakeAnswer => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const error = (status: number, code: string): FakeAnswer => json(status, { error: { code, message: code } });
const noContent: FakeAnswer = { status: 204, headers: {}, body: '' };

/** The one entity of the test, as the fake server knows it. */
export interface FakeEntity {
  readonly id: string;
  readonly type: string;
  readonly subscription: FakePullWake;
}

/**
 * The agents server's routes the v0.4 runtime calls, answered from a few maps, as a user writes them from the route
 * table (register, heartbeat, claim, done, renew, manifest, shared-state rows). One runner, one entity. Write tokens are
 * those of granted claims and stay valid until their done. With `resumeFromHeartbeat` (what the `offset=durable` fix
 * needs of the server) registration answers the offset the runner last reported.
 */
export class FakeAgentsServer {
  private readonly reported = new Map<string, string>();
  private readonly tokens = new Map<string, string>(); // write token -> wake id
  private readonly manifest: Array<{ readonly shared_id: string; readonly mode: 'connect' | 'create' }> = [];

  constructor(
    private readonly streams: FakeStreams,
    private readonly entity: FakeEntity,
    private readonly options: { readonly leaseTtlMs: number; readonly resumeFromHeartbeat: boolean },
  ) {}

  handle(method: string, path: string, headers: Readonly<Record<string, string>>, body: string | undefined): FakeAnswer {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const token = /^Bearer (\S+)$/.exec(headers['authorization'] ?? '')?.[1];
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/_electric/runners') return this.register(String(input['id']), String(input['label']));
    if (method === 'POST' && (match = /^\/_electric\/runners\/([^/]+)\/heartbeat$/.exec(path))) {
      this.reported.set(decodeURIComponent(match[1]!), String(input['wake_stream_offset']));
      return noContent;
    }
    if (method === 'POST' && /^\/_electric\/runners\/[^/]+\/claim$/.test(path)) return this.claim(String(input['subscription_id']));
    if (method === 'POST' && (match = /^\/_electric\/wakes\/([^/]+)\/(done|renew)$/.exec(path))) {
      const wakeId = decodeURIComponent(match[1]!);
      if (token === undefined || this.tokens.get(token) !== wakeId) return error(401, 'INVALID_WRITE_TOKEN');
      if (match[2] === 'renew') return this.entity.subscription.renew(token, input['generation']) ? json(200, {}) : error(409, 'FENCED');
      const done = this.entity.subscription.done(token, input['generation'], Array.isArray(input['acks']) ? input['acks'] : []);
      if (!done) return error(409, 'FENCED');
      this.tokens.delete(token);
      return json(200, { next_wake: done.nextWake });
    }
    if (path === `/_electric/entities/${encodeURIComponent(this.entity.id)}/manifest`) {
      if (method === 'GET') return json(200, { rows: this.manifest });
      if (token === undefined || !this.tokens.has(token)) return error(401, 'INVALID_WRITE_TOKEN');
      for (const row of (input['rows'] ?? []) as Array<{ shared_id: string; mode: 'connect' | 'create' }>) {
        if (!this.manifest.some((stored) => stored.shared_id === row.shared_id)) this.manifest.push({ shared_id: row.shared_id, mode: row.mode });
      }
      return noContent;
    }
    if (method === 'POST' && (match = /^\/_electric\/shared-state\/([^/]+)\/rows$/.exec(path))) {
      if (token === undefined || !this.tokens.has(token)) return error(401, 'INVALID_WRITE_TOKEN');
      const stream = `shared/${decodeURIComponent(match[1]!)}`;
      if (!this.streams.has(stream)) return error(404, 'SHARED_STATE_NOT_FOUND');
      return json(200, { offset: this.streams.append(stream, input) });
    }
    return error(404, 'NOT_FOUND');
  }

  private register(id: string, label: string): FakeAnswer {
    const record = { id, label, wake_stream: `runners/${id}/wake` };
    const resume = this.options.resumeFromHeartbeat ? this.reported.get(id) : undefined;
    return json(200, resume === undefined ? record : { ...record, wake_stream_offset: resume });
  }

  private claim(subscriptionId: string): FakeAnswer {
    if (subscriptionId !== this.entity.subscription.id) return error(404, 'ENTITY_NOT_FOUND');
    const granted = this.entity.subscription.claim();
    if (granted === 'idle') return noContent;
    if (granted === 'busy') return error(409, 'ALREADY_CLAIMED');
    this.tokens.set(granted.token, granted.wakeId);
    return json(200, {
      wake_id: granted.wakeId,
      subscription_id: subscriptionId,
      generation: granted.generation,
      entity: { id: this.entity.id, type: this.entity.type },
      streams: granted.streams,
      write_token: granted.token,
      lease_ttl_ms: this.options.leaseTtlMs,
    });
  }
}
