import fc from 'fast-check';
import type { Raw, Side, WireRequest } from './sides.ts';

/**
 * The request sequences of the differential test: a small universe of streams and subscriptions under a prefix that
 * is unique per sequence (the reference server is shared by all of them), and commands over it. A command is data;
 * values a side minted (offsets, ETags, claim tokens) are picked by index from what that side answered earlier, so
 * each side is driven with its own.
 */

/** Streams `a`, `b` and `w` live under the subscription root; `x` lives outside it. */
export const STREAM_KEYS = ['a', 'b', 'w', 'x'] as const;
export type StreamKey = (typeof STREAM_KEYS)[number];
export const SUBSCRIPTION_KEYS = ['s1', 's2'] as const;
export type SubscriptionKey = (typeof SUBSCRIPTION_KEYS)[number];

export type OffsetChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'literal'; readonly value: string }
  /** An offset this side answered earlier for this stream (`stream-next-offset`), by index, wrapping. */
  | { readonly kind: 'seen'; readonly index: number }
  /** Two `offset` parameters. */
  | { readonly kind: 'double' };

export interface ProducerHeaders {
  readonly id?: string;
  readonly epoch?: string;
  readonly seq?: string;
}

export interface SubscriptionBody {
  readonly type?: string;
  readonly streams?: readonly string[];
  /** A glob relative to the sequence's prefix: `*`, `**`, `a`. */
  readonly pattern?: string;
  readonly wake?: string;
  readonly lease?: number | string;
  readonly description?: string;
  /** Send this text instead of a JSON body. */
  readonly raw?: string;
}

/** Which claim's token an ack-like request carries. */
/** `back`: 0 is this side's latest claim of the subscription, 1 the one before, and so on (clamped). */
export type TokenChoice = { readonly kind: 'claim'; readonly back: number } | { readonly kind: 'bogus' } | { readonly kind: 'missing' };

export interface AckEntry {
  readonly stream: StreamKey | 'unknown';
  readonly offset: 'tail' | 'acked' | '-1' | 'beyond' | { readonly seen: number };
}

export type Command =
  | {
      readonly op: 'create';
      readonly stream: StreamKey;
      readonly contentType?: string;
      readonly body?: string;
      readonly closed: boolean;
      readonly ttl?: string;
      readonly expiresAt?: string;
      /** Fork headers the reference refuses before it looks for a source (forks themselves are not simulated). */
      readonly badFork?: 'offset' | 'sub-offset';
    }
  | { readonly op: 'append'; readonly stream: StreamKey; readonly contentType?: string; readonly body: string; readonly seq?: string; readonly close: boolean; readonly producer?: ProducerHeaders }
  | { readonly op: 'close'; readonly stream: StreamKey; readonly producer?: ProducerHeaders }
  | { readonly op: 'read'; readonly stream: StreamKey; readonly offset: OffsetChoice; readonly ifNoneMatch: boolean }
  /** A long-poll; one caught up to the tail is held until the poll timeout. */
  | { readonly op: 'live'; readonly stream: StreamKey; readonly offset: OffsetChoice; readonly cursor?: string }
  /** HEAD for the tail, a long-poll there, then an append, a close or a delete that wakes it. */
  | { readonly op: 'liveThen'; readonly stream: StreamKey; readonly then: 'append' | 'close' | 'append-and-close' | 'delete'; readonly body: string }
  /** HEAD for the tail, a long-poll there, then the client aborts it. */
  | { readonly op: 'liveAbort'; readonly stream: StreamKey }
  | { readonly op: 'head'; readonly stream: StreamKey }
  | { readonly op: 'delete'; readonly stream: StreamKey }
  | { readonly op: 'method'; readonly stream: StreamKey; readonly method: 'PATCH' | 'OPTIONS' }
  | { readonly op: 'subCreate'; readonly sub: SubscriptionKey; readonly body: SubscriptionBody }
  | { readonly op: 'subGet'; readonly sub: SubscriptionKey }
  | { readonly op: 'subDelete'; readonly sub: SubscriptionKey }
  | { readonly op: 'subLink'; readonly sub: SubscriptionKey; readonly streams: readonly string[] | string }
  | { readonly op: 'subUnlink'; readonly sub: SubscriptionKey; readonly stream: StreamKey }
  | { readonly op: 'claim'; readonly sub: SubscriptionKey; readonly worker?: string }
  | {
      readonly op: 'ack';
      readonly sub: SubscriptionKey;
      readonly route: 'ack' | 'callback' | 'release';
      readonly token: TokenChoice;
      /** `same`: of the claim the token came from; `latest`: of this side's latest claim. */
      readonly wake: 'same' | 'latest' | 'missing';
      readonly generation: 'same' | 'latest' | 'missing' | 'wrong';
      readonly acks?: readonly AckEntry[];
      readonly done: boolean;
    }
  | { readonly op: 'control'; readonly target: 'jwks' | 'unknown' | 'no-id' }
  /** One turn of the wake path: append to `a`, claim `s1`, ack `a`'s tail (done or not). */
  | { readonly op: 'cycle'; readonly body: string; readonly done: boolean };

// ---------------------------------------------------------------------------------------------------------------
// Generators

const JSON_TYPE = 'application/json';
const key = fc.constantFrom('a', 'b', 'n', 'type', 'offset', 'value', 'é', '1', '10');
const leaf = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
/** JSON values, some shaped like state-protocol events (the reference adds their offset to `headers`). */
const { value: jsonValue } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown>; event: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('event')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  event: fc.record({
    headers: fc.oneof(
      fc.record({ operation: fc.constantFrom('insert', 'update', 'delete') }),
      fc.record({ control: fc.constantFrom('up-to-date', 'reset') }),
      fc.record({ operation: fc.integer() }),
      fc.record({ operation: fc.constant('insert'), offset: fc.constant('mine') }),
      fc.constant(['operation']),
    ),
    value: leaf,
  }),
}));

/** A batch as the client sends it: `[v1, v2, ...]`, one message whose values share an offset. */
const batchBody = fc.array(jsonValue, { minLength: 1, maxLength: 3 }).map((values) => JSON.stringify(values));
const appendBody = fc.oneof(
  { weight: 8, arbitrary: batchBody },
  { weight: 2, arbitrary: jsonValue.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constantFrom('[]', '{"a":', 'nope', '', '\uFEFF[1]', ' [ 1 , 2 ] ') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
);
/** A flag that is set one time in ten. */
const rarely = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
/** `arbitrary` one time in `oneIn`, otherwise absent. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const streamKey = fc.constantFrom(...STREAM_KEYS);
const subKey = fc.constantFrom(...SUBSCRIPTION_KEYS);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>(JSON_TYPE) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | undefined>('application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', undefined, 'nonsense', 'application/json-seq', ' '),
  },
);
const offsetChoice: fc.Arbitrary<OffsetChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(6).map((index) => ({ kind: 'seen' as const, index })) },
  { weight: 3, arbitrary: fc.constantFrom('-1', 'now').map((value) => ({ kind: 'literal' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', 'garbage', '0_0', '5_5', '0000000000000000_0000000000000000', '9999999999999999_9999999999999999', '-2')
      .map((value) => ({ kind: 'literal' as const, value })),
  },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'double' as const }, { kind: 'seen' as const, index: 0 }) },
);
const producer: fc.Arbitrary<ProducerHeaders> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: fc.constantFrom('p1', 'p2'), epoch: fc.constantFrom('0', '0', '1', '2'), seq: fc.constantFrom('0', '1', '1', '2', '3') }) },
  {
    weight: 1,
    arbitrary: fc.record({ id: sometimes(fc.constantFrom('', 'p1'), 2), epoch: sometimes(fc.constantFrom('x', '1e3', '0'), 2), seq: sometimes(fc.constantFrom('0', '-1'), 2) }),
  },
);
const subscriptionBody: fc.Arbitrary<SubscriptionBody> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      type: fc.constant('pull-wake'),
      streams: fc.oneof(fc.subarray(['a', 'b', 'x', '/a/', 'missing'], { minLength: 1 }), fc.constant(undefined)),
      pattern: sometimes(fc.constantFrom('*', '**', 'a', 'b/**'), 3),
      wake: fc.constantFrom('w', 'w', 'w', 'nowake'),
      lease: fc.constantFrom(60_000, 600_000, undefined),
      description: sometimes(fc.constant('digest'), 3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('pull-wake', 'webhook', 'other', undefined),
      streams: fc.constantFrom(['a'], [], [''], undefined),
      pattern: fc.constantFrom('*', '', undefined),
      wake: fc.constantFrom('w', '', undefined),
      lease: fc.constantFrom<number | string | undefined>(999, 600_001, 1500.5, 'soon', 60_000),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('{"type":', 'null', '[]', '').map((raw) => ({ raw })) },
);
const tokenChoice: fc.Arbitrary<TokenChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(0, 0, 1, 2).map((back) => ({ kind: 'claim' as const, back })) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'bogus' as const }, { kind: 'missing' as const }) },
);
const ackEntry: fc.Arbitrary<AckEntry> = fc.record({
  stream: fc.constantFrom<StreamKey | 'unknown'>('a', 'a', 'a', 'b', 'x', 'unknown'),
  offset: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<'tail' | 'acked'>('tail', 'tail', 'acked') },
    { weight: 1, arbitrary: fc.constantFrom<'-1' | 'beyond'>('-1', 'beyond') },
    { weight: 1, arbitrary: fc.nat(4).map((seen) => ({ seen })) },
  ),
});

const createCommand = (stream: fc.Arbitrary<StreamKey>, type: fc.Arbitrary<string | undefined>): fc.Arbitrary<Command> =>
  fc.record({
    op: fc.constant('create' as const),
    stream,
    contentType: type,
    body: sometimes(fc.oneof(batchBody, fc.constantFrom('[]', '{', 'plain text')), 3),
    closed: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    ttl: sometimes(fc.constantFrom('60', '60', '-1', '007'), 8),
    expiresAt: sometimes(fc.constantFrom('2030-01-01T00:00:00Z', 'garbage'), 8),
    badFork: sometimes(fc.constantFrom<'offset' | 'sub-offset'>('offset', 'sub-offset'), 12),
  });

/** Any command, weighted toward the wake path: appends, reads, claims and acks over streams that mostly exist. */
export const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: createCommand(streamKey, contentType) },
  {
    weight: 12,
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      stream: fc.constantFrom<StreamKey>('a', 'a', 'a', 'b', 'x', 'w'),
      contentType,
      body: appendBody,
      seq: sometimes(fc.constantFrom('a', 'b', 'c'), 6),
      close: fc.oneof({ weight: 29, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      producer: sometimes(producer, 4),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), stream: streamKey, producer: sometimes(producer, 2) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('read' as const), stream: streamKey, offset: offsetChoice, ifNoneMatch: rarely }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('live' as const), stream: streamKey, offset: offsetChoice, cursor: sometimes(fc.constantFrom('1', '99999999999', 'x'), 3) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('liveThen' as const),
      stream: fc.constantFrom<StreamKey>('a', 'b', 'w'),
      then: fc.constantFrom<'append' | 'close' | 'append-and-close' | 'delete'>('append', 'append', 'append', 'close', 'append-and-close', 'delete'),
      body: batchBody,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('liveAbort' as const), stream: streamKey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('head' as const), stream: streamKey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), stream: fc.constantFrom<StreamKey>('a', 'b', 'x') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('method' as const), stream: streamKey, method: fc.constantFrom('PATCH' as const, 'OPTIONS' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('subCreate' as const), sub: subKey, body: subscriptionBody }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('subGet' as const, 'subDelete' as const), sub: subKey }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('subLink' as const), sub: subKey, streams: fc.oneof(fc.subarray(['a', 'b', 'x', 'w']), fc.constantFrom<string[] | string>([''], 'a')) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('subUnlink' as const), sub: subKey, stream: streamKey }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('claim' as const), sub: fc.constantFrom<SubscriptionKey>('s1', 's1', 's1', 's2'), worker: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string | undefined>('w1', 'w2') }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>('', undefined) }) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('ack' as const),
      sub: fc.constantFrom<SubscriptionKey>('s1', 's1', 's2'),
      route: fc.constantFrom<'ack' | 'callback' | 'release'>('ack', 'ack', 'ack', 'callback', 'release'),
      token: tokenChoice,
      wake: fc.constantFrom<'same' | 'latest' | 'missing'>('same', 'same', 'same', 'latest', 'missing'),
      generation: fc.constantFrom<'same' | 'latest' | 'missing' | 'wrong'>('same', 'same', 'same', 'latest', 'missing', 'wrong'),
      acks: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.array(ackEntry, { minLength: 1, maxLength: 2 }) }),
      done: fc.constantFrom(true, true, false),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('control' as const), target: fc.constantFrom('jwks' as const, 'unknown' as const, 'no-id' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('cycle' as const), body: batchBody, done: fc.constantFrom(true, true, true, false) }) },
);

/**
 * The start of every sequence: most streams created (JSON, `x` sometimes bytes) and, usually, subscription `s1` over
 * `a` (explicitly or by glob) waking into `w`, so that the commands after it mostly act on things that exist.
 */
export const setup: fc.Arbitrary<Command[]> = fc
  .tuple(
    fc.subarray<StreamKey>(['b', 'x']).map((more): StreamKey[] => ['w', 'a', ...more]),
    fc.constantFrom<string | undefined>(JSON_TYPE, JSON_TYPE, 'text/plain', undefined),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant<SubscriptionBody>({ type: 'pull-wake', streams: ['a'], wake: 'w', lease: 60_000 }) },
      { weight: 2, arbitrary: fc.constant<SubscriptionBody>({ type: 'pull-wake', pattern: '*', wake: 'w', lease: 60_000 }) },
      { weight: 1, arbitrary: fc.constant<SubscriptionBody | undefined>(undefined) },
    ),
  )
  .map(([streams, xType, subscription]) => [
    ...streams.map((stream): Command => ({ op: 'create', stream, contentType: stream === 'x' ? xType : JSON_TYPE, closed: false })),
    ...(subscription ? [{ op: 'subCreate', sub: 's1', body: subscription } as const] : []),
  ]);

/** A generated sequence: its setup, then the commands. */
export const sequence = (maxCommands: number): fc.Arbitrary<Command[]> =>
  fc.tuple(setup, fc.array(command, { minLength: 1, maxLength: maxCommands })).map(([start, rest]) => [...start, ...rest]);

// ---------------------------------------------------------------------------------------------------------------
// Running a command on one side

interface Claimed {
  readonly token: string;
  readonly wake_id: string;
  readonly generation: number;
  readonly streams: ReadonlyArray<{ readonly path: string; readonly tail_offset: string; readonly acked_offset: string }>;
}

/** What one side answered earlier that later commands refer to. */
export class SideMemory {
  readonly offsets = new Map<StreamKey, string[]>();
  readonly etags = new Map<StreamKey, string>();
  readonly claims = new Map<SubscriptionKey, Claimed[]>();

  remember(stream: StreamKey | undefined, raw: Raw): void {
    if (raw.kind !== 'response' || stream === undefined) return;
    const offset = raw.headers.get('stream-next-offset');
    if (offset) this.offsets.set(stream, [...(this.offsets.get(stream) ?? []), offset]);
    const etag = raw.headers.get('etag');
    if (etag) this.etags.set(stream, etag);
  }

  seen(stream: StreamKey, index: number): string {
    const offsets = this.offsets.get(stream) ?? [];
    return offsets.length === 0 ? '-1' : offsets[index % offsets.length]!;
  }
}

/** One request of a command and what the side answered. */
export interface Exchange {
  readonly label: string;
  readonly raw: Raw;
}

const SUBSCRIPTIONS_PATH = '/v1/stream/__ds/subscriptions';
const BEYOND_TAIL = '9999999999999999_9999999999999999';

/** Names of one sequence: its prefix makes every stream and subscription its own on the shared reference server. */
export class Universe {
  constructor(readonly prefix: string) {}

  /** A stream name under the root (as subscriptions name it). */
  name(key: string): string {
    return `${this.prefix}/${key}`;
  }

  path(key: StreamKey): string {
    return key === 'x' ? `/plain/${this.prefix}/x` : `/v1/stream/${this.name(key)}`;
  }

  subscription(key: SubscriptionKey): string {
    return `${SUBSCRIPTIONS_PATH}/${encodeURIComponent(`${this.prefix}-${key}`)}`;
  }
}

function offsetQuery(choice: OffsetChoice, memory: SideMemory, stream: StreamKey): string {
  switch (choice.kind) {
    case 'none':
      return '';
    case 'literal':
      return `offset=${encodeURIComponent(choice.value)}`;
    case 'seen':
      return `offset=${encodeURIComponent(memory.seen(stream, choice.index))}`;
    case 'double':
      return 'offset=-1&offset=now';
  }
}

function producerHeaders(producer: ProducerHeaders | undefined): Record<string, string> {
  if (!producer) return {};
  const headers: Record<string, string> = {};
  if (producer.id !== undefined) headers['producer-id'] = producer.id;
  if (producer.epoch !== undefined) headers['producer-epoch'] = producer.epoch;
  if (producer.seq !== undefined) headers['producer-seq'] = producer.seq;
  return headers;
}

function subscriptionJson(body: SubscriptionBody, universe: Universe): string {
  if (body.raw !== undefined) return body.raw;
  return JSON.stringify({
    type: body.type,
    streams: body.streams?.map((name) => (name === '' ? '' : name.startsWith('/') ? `/${universe.name(name.slice(1))}` : universe.name(name))),
    pattern: body.pattern === undefined ? undefined : body.pattern === '' ? '' : universe.name(body.pattern),
    wake_stream: body.wake === undefined || body.wake === '' ? body.wake : universe.name(body.wake),
    lease_ttl_ms: body.lease,
    description: body.description,
  });
}

async function send(side: Side, request: WireRequest, signal?: AbortSignal): Promise<Raw> {
  return side.start(request, signal).finish();
}

/** Runs one command on one side: its requests in order, each side's own minted values filled in. */
export async function runCommand(cmd: Command, side: Side, memory: SideMemory, universe: Universe): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const record = async (label: string, request: WireRequest, stream?: StreamKey): Promise<Raw> => {
    const raw = await send(side, request);
    memory.remember(stream, raw);
    exchanges.push({ label, raw });
    return raw;
  };
  switch (cmd.op) {
    case 'create': {
      const headers: Record<string, string> = {};
      if (cmd.contentType !== undefined) headers['content-type'] = cmd.contentType;
      if (cmd.closed) headers['stream-closed'] = 'true';
      if (cmd.ttl !== undefined) headers['stream-ttl'] = cmd.ttl;
      if (cmd.expiresAt !== undefined) headers['stream-expires-at'] = cmd.expiresAt;
      if (cmd.badFork === 'offset') headers['stream-fork-offset'] = 'latest';
      if (cmd.badFork === 'sub-offset') headers['stream-fork-sub-offset'] = '1';
      await record('PUT', { method: 'PUT', target: universe.path(cmd.stream), headers, body: cmd.body }, cmd.stream);
      break;
    }
    case 'append': {
      const headers: Record<string, string> = { ...producerHeaders(cmd.producer) };
      if (cmd.contentType !== undefined) headers['content-type'] = cmd.contentType;
      if (cmd.seq !== undefined) headers['stream-seq'] = cmd.seq;
      if (cmd.close) headers['stream-closed'] = 'true';
      await record('POST', { method: 'POST', target: universe.path(cmd.stream), headers, body: cmd.body }, cmd.stream);
      break;
    }
    case 'close':
      await record('POST close', { method: 'POST', target: universe.path(cmd.stream), headers: { 'stream-closed': 'true', ...producerHeaders(cmd.producer) } }, cmd.stream);
      break;
    case 'read': {
      const query = offsetQuery(cmd.offset, memory, cmd.stream);
      const etag = memory.etags.get(cmd.stream);
      const headers: Record<string, string> = cmd.ifNoneMatch && etag ? { 'if-none-match': etag } : {};
      await record('GET', { method: 'GET', target: `${universe.path(cmd.stream)}${query ? `?${query}` : ''}`, headers }, cmd.stream);
      break;
    }
    case 'live': {
      const query = [offsetQuery(cmd.offset, memory, cmd.stream), 'live=long-poll', cmd.cursor === undefined ? '' : `cursor=${cmd.cursor}`].filter(Boolean).join('&');
      await record('GET live', { method: 'GET', target: `${universe.path(cmd.stream)}?${query}` }, cmd.stream);
      break;
    }
    case 'liveThen':
    case 'liveAbort': {
      const head = await record('HEAD', { method: 'HEAD', target: universe.path(cmd.stream) }, cmd.stream);
      const tail = (head.kind === 'response' && head.headers.get('stream-next-offset')) || '-1';
      // Only a read at the tail of an open stream is held; any other answers at once, and aborting that would race.
      const held = head.kind === 'response' && head.status === 200 && !head.headers.has('stream-closed');
      const controller = new AbortController();
      const live = side.start({ method: 'GET', target: `${universe.path(cmd.stream)}?offset=${tail}&live=long-poll` }, controller.signal);
      await side.settle();
      if (cmd.op === 'liveThen') {
        const target = universe.path(cmd.stream);
        const label = `${cmd.then} (wakes the long-poll)`;
        if (cmd.then === 'delete') await record(label, { method: 'DELETE', target }, cmd.stream);
        else {
          const headers: Record<string, string> = { 'content-type': JSON_TYPE };
          if (cmd.then !== 'append') headers['stream-closed'] = 'true';
          await record(label, { method: 'POST', target, headers, body: cmd.then === 'close' ? undefined : cmd.body }, cmd.stream);
        }
      } else if (held) {
        controller.abort();
      }
      const raw = await live.finish();
      memory.remember(cmd.stream, raw);
      exchanges.push({ label: 'GET live (held)', raw });
      break;
    }
    case 'head':
      await record('HEAD', { method: 'HEAD', target: universe.path(cmd.stream) }, cmd.stream);
      break;
    case 'delete':
      await record('DELETE', { method: 'DELETE', target: universe.path(cmd.stream) }, cmd.stream);
      break;
    case 'method':
      await record(cmd.method, { method: cmd.method, target: universe.path(cmd.stream) });
      break;
    case 'subCreate':
      await record('PUT subscription', { method: 'PUT', target: universe.subscription(cmd.sub), headers: { 'content-type': JSON_TYPE }, body: subscriptionJson(cmd.body, universe) });
      break;
    case 'subGet':
      await record('GET subscription', { method: 'GET', target: universe.subscription(cmd.sub) });
      break;
    case 'subDelete':
      await record('DELETE subscription', { method: 'DELETE', target: universe.subscription(cmd.sub) });
      break;
    case 'subLink': {
      const streams = typeof cmd.streams === 'string' ? cmd.streams : cmd.streams.map((name) => (name === '' ? '' : universe.name(name)));
      await record('POST subscription streams', { method: 'POST', target: `${universe.subscription(cmd.sub)}/streams`, body: JSON.stringify({ streams }) });
      break;
    }
    case 'subUnlink':
      await record('DELETE subscription stream', { method: 'DELETE', target: `${universe.subscription(cmd.sub)}/streams/${encodeURIComponent(universe.name(cmd.stream))}` });
      break;
    case 'claim': {
      const raw = await record('POST claim', { method: 'POST', target: `${universe.subscription(cmd.sub)}/claim`, body: JSON.stringify({ worker: cmd.worker }) });
      if (raw.kind === 'response' && raw.status === 200) {
        const claim = JSON.parse(new TextDecoder().decode(raw.body)) as Claimed;
        memory.claims.set(cmd.sub, [...(memory.claims.get(cmd.sub) ?? []), claim]);
      }
      break;
    }
    case 'ack': {
      const claims = memory.claims.get(cmd.sub) ?? [];
      const latest = claims.at(-1);
      const chosen = cmd.token.kind === 'claim' && claims.length > 0 ? claims[Math.max(0, claims.length - 1 - cmd.token.back)] : undefined;
      const headers: Record<string, string> = {};
      if (cmd.token.kind === 'bogus') headers.authorization = 'Bearer not-a-token';
      // Without a claim to take a token from, the request goes without one.
      else if (chosen) headers.authorization = `Bearer ${chosen.token}`;
      const pick = <T>(choice: 'same' | 'latest' | 'missing' | 'wrong', of: (claim: Claimed) => T, wrong: T): T | undefined => {
        if (choice === 'wrong') return wrong;
        if (choice === 'missing') return undefined;
        const claim = choice === 'same' ? chosen : latest;
        return claim && of(claim);
      };
      const acks = cmd.acks?.map((entry) => {
        const name = entry.stream === 'unknown' ? universe.name('unknown') : universe.name(entry.stream);
        const listed = chosen?.streams.find((stream) => stream.path === name);
        const offset =
          entry.offset === 'tail'
            ? (listed?.tail_offset ?? '-1')
            : entry.offset === 'acked'
              ? (listed?.acked_offset ?? '-1')
              : entry.offset === 'beyond'
                ? BEYOND_TAIL
                : entry.offset === '-1'
                  ? '-1'
                  : memory.seen(entry.stream === 'unknown' ? 'a' : entry.stream, entry.offset.seen);
        return { stream: name, offset };
      });
      const body = JSON.stringify({
        wake_id: pick(cmd.wake, (claim) => claim.wake_id, 'w_0'),
        generation: pick(cmd.generation, (claim) => claim.generation, 999),
        acks,
        done: cmd.done,
      });
      await record(`POST ${cmd.route}`, { method: 'POST', target: `${universe.subscription(cmd.sub)}/${cmd.route}`, headers, body });
      break;
    }
    case 'control': {
      const target = cmd.target === 'jwks' ? '/v1/stream/__ds/jwks.json' : cmd.target === 'unknown' ? '/v1/stream/__ds/nothing' : `${SUBSCRIPTIONS_PATH}/`;
      await record(`GET ${cmd.target}`, { method: 'GET', target });
      break;
    }
    case 'cycle': {
      const turn: Command[] = [
        { op: 'append', stream: 'a', contentType: JSON_TYPE, body: cmd.body, close: false },
        { op: 'claim', sub: 's1', worker: 'w1' },
        { op: 'ack', sub: 's1', route: 'ack', token: { kind: 'claim', back: 0 }, wake: 'same', generation: 'same', acks: [{ stream: 'a', offset: 'tail' }], done: cmd.done },
      ];
      for (const step of turn) exchanges.push(...(await runCommand(step, side, memory, universe)));
      break;
    }
  }
  return exchanges;
}
