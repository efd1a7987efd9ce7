import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { HttpError, streamNotFound } from '../network/HttpError.ts';
import { worldInvariant } from '../WorldInvariantError.ts';
import { JSON_CONTENT_TYPE, isJsonContentType, normalizeContentType, DEFAULT_CONTENT_TYPE } from './contentTypes.ts';
import { parseJsonAppend, storedJsonByteLength } from './jsonMessages.ts';
import { BEGINNING_OFFSET, MESSAGE_FRAME_BYTES, OFFSET_PATTERN, TAIL_OFFSET, formatOffset } from './offsets.ts';
import { forgetIdleProducers, judgeProducer, type ProducerClaim, type ProducerState, type ProducerVerdict } from './producers.ts';

/** One stored item and the offset just after it (reading from that offset returns what follows). */
export interface StreamItem {
  readonly offset: string;
  readonly value: TraceValue;
}

/** The answer to a catch-up or live read. */
export interface ReadResult {
  readonly items: readonly StreamItem[];
  /** Offset to read from next: the last item's offset, or the tail when there are none. */
  readonly nextOffset: string;
  readonly upToDate: boolean;
}

/**
 * One append as the protocol stores it: every value of one request shares the offset after it, so a reader sees the
 * values of one batch together or not at all.
 */
export interface StoredMessage {
  readonly offset: string;
  /** The JSON values of a message of a JSON stream; for any other stream, one value: the message as text. */
  readonly values: readonly TraceValue[];
  /** The exact bytes of a message of a non-JSON stream (what a read answers); undefined on JSON streams. */
  readonly bytes: Uint8Array | undefined;
}

/** What a create fixes about a stream; a second create must name the same settings or it conflicts. */
export interface StreamSettings {
  /** The media type exactly as the creator sent it (answered back verbatim; compared normalized). */
  readonly contentType: string;
  readonly ttlSeconds?: number | undefined;
  readonly expiresAt?: string | undefined;
  /** Created closed: no append will ever be accepted. */
  readonly closed?: boolean | undefined;
}

/** What the service can tell about a stream without reading it (a HEAD). */
export interface StreamMetadata {
  readonly contentType: string;
  readonly tailOffset: string;
  readonly closed: boolean;
  readonly ttlSeconds: number | undefined;
  readonly expiresAt: string | undefined;
}

/** Why a watcher of a stream was woken. */
export type StreamChange = 'appended' | 'closed' | 'deleted';

/** A one-shot listener for the next change of one stream (a held long-poll). */
export type StreamWatcher = (change: StreamChange) => void;

/** Listener called after every append (pull-wake subscriptions hang off it). */
export type AppendListener = (path: string, item: StreamItem) => void;

/**
 * Listener called after every request that wrote to a stream: an append (unless silent), or a create that carried a
 * body, even `[]`, which stores nothing. These are the moments the reference server tells its subscriptions about.
 */
export type WriteListener = (path: string) => void;

/** Listener called after a stream is deleted. */
export type DeleteListener = (path: string) => void;

/** The request-level parts of an append, beyond its body. */
export interface AppendOptions {
  /** The request's media type; must match the stream's (normalized) when both are known. */
  readonly contentType?: string | undefined;
  /** `Stream-Seq`: a writer's own sequence token; it must grow (as a string) from one append to the next. */
  readonly seq?: string | undefined;
  readonly producer?: ProducerClaim | undefined;
  /** Close the stream with this append. */
  readonly close?: boolean | undefined;
}

/** How an append ended when it was not refused with an error. */
export type AppendOutcome =
  | { readonly kind: 'appended'; readonly offset: string; readonly closed: boolean }
  /** The stream is closed; `duplicateSeq` is set when the request repeats the producer batch that closed it. */
  | { readonly kind: 'stream-closed'; readonly tailOffset: string; readonly duplicateSeq: number | undefined }
  | { readonly kind: 'producer-refused'; readonly verdict: Exclude<ProducerVerdict, { status: 'accepted' }> };

/** How a close without a body ended. */
export type CloseOutcome =
  | { readonly kind: 'closed'; readonly finalOffset: string }
  /** A producer repeated a close (or a batch) it had already made: nothing changes. */
  | { readonly kind: 'duplicate'; readonly finalOffset: string; readonly lastSeq: number }
  /** The stream was already closed by another producer's request. */
  | { readonly kind: 'conflict'; readonly finalOffset: string }
  | { readonly kind: 'producer-refused'; readonly finalOffset: string; readonly verdict: Exclude<ProducerVerdict, { status: 'accepted' | 'duplicate' }> };

interface StoredStream {
  readonly settings: StreamSettings;
  readonly json: boolean;
  readonly messages: StoredMessage[];
  /** The messages' values one by one, each with its message's offset: what {@link DurableStreamsService.read} answers. */
  readonly items: StreamItem[];
  byteCount: number;
  closed: boolean;
  /** The producer batch that closed the stream, so that its retry is answered as a duplicate. */
  closedBy: ProducerClaim | undefined;
  lastSeq: string | undefined;
  readonly producers: Map<string, ProducerState>;
  /** Held live reads waiting for the next change; each is told once. */
  watchers: StreamWatcher[];
}

/**
 * The Durable Streams service: append-only streams addressed by path, with offsets in the reference format.
 * Data survives every fault the simulation injects; only the processes around it come and go.
 *
 * The world uses the value-level methods (`create`, `append`, `read`, `readLive`); the HTTP facade in `./http/`
 * uses the protocol-level ones (`createStream`, `appendBody`, `closeStream`, `messagesAfter`, `delete`, `watch`),
 * which follow the reference server's store rule for rule.
 */
export class DurableStreamsService {
  private readonly streams = new Map<string, StoredStream>();
  private readonly appendListeners: AppendListener[] = [];
  private readonly writeListeners: WriteListener[] = [];
  private readonly deleteListeners: DeleteListener[] = [];

  constructor(private readonly sim: SimContext) {}

  onAppend(listener: AppendListener): void {
    this.appendListeners.push(listener);
  }

  onWrite(listener: WriteListener): void {
    this.writeListeners.push(listener);
  }

  onDelete(listener: DeleteListener): void {
    this.deleteListeners.push(listener);
  }

  has(path: string): boolean {
    return this.streams.has(path);
  }

  /** Every stream's path, oldest first (the order the reference lists them in, which glob links follow). */
  paths(): string[] {
    return [...this.streams.keys()];
  }

  /** Creates an empty JSON stream unless one exists at `path` (then nothing changes, whatever its settings). */
  create(path: string): void {
    if (!this.streams.has(path)) this.streams.set(path, newStream({ contentType: JSON_CONTENT_TYPE }));
  }

  /**
   * The protocol's create (PUT): idempotent when the settings match the existing stream's, a conflict when they
   * do not. A new stream takes `initialBody` as its first append (on a JSON stream an empty array creates it empty);
   * an existing one ignores it.
   *
   * @throws HttpError 409 when the stream exists with other settings; 400 when a JSON initial body is not JSON.
   */
  createStream(path: string, settings: StreamSettings, initialBody?: Uint8Array): { readonly created: boolean } {
    const existing = this.streams.get(path);
    if (existing) {
      // A stream closed since its creation no longer matches a create that does not ask for a closed stream.
      if (!sameSettings({ ...existing.settings, closed: existing.closed }, settings)) {
        throw new HttpError(409, 'STREAM_EXISTS', 'Stream already exists with different configuration');
      }
      return { created: false };
    }
    const stream = newStream(settings);
    // Stored only once the body is accepted: a create with an invalid body leaves no stream behind.
    const message = initialBody && initialBody.length > 0 ? this.store(stream, initialBody, true) : undefined;
    this.streams.set(path, stream);
    if (message) this.tellAppendListeners(path, stream.items.at(-1)!);
    if (initialBody && initialBody.length > 0) this.tellWriteListeners(path);
    return { created: true };
  }

  metadata(path: string): StreamMetadata | undefined {
    const stream = this.streams.get(path);
    if (!stream) return undefined;
    const { contentType, ttlSeconds, expiresAt } = stream.settings;
    return { contentType, tailOffset: formatOffset(stream.byteCount), closed: stream.closed, ttlSeconds, expiresAt };
  }

  tailOffset(path: string): string {
    return formatOffset(this.stream(path).byteCount);
  }

  append(path: string, value: TraceValue): string {
    return this.appendValues(path, [value]);
  }

  /**
   * Appends one message of several values (one offset for all of them), as one request of a batching client does.
   * With `silent`, append listeners are not told: the reference writes wake events straight into its store, so
   * they wake held reads of the wake stream but never another subscription.
   */
  appendValues(path: string, values: readonly TraceValue[], options: { readonly silent?: boolean } = {}): string {
    const stream = this.stream(path);
    if (stream.closed) throw new HttpError(409, 'STREAM_CLOSED', 'Stream is closed');
    // A non-JSON stream stores the serialized values as raw bytes, as the reference does with its wake events.
    const text = stream.json ? '' : values.map((value) => JSON.stringify(value)).join('');
    const message = stream.json ? this.storeMessage(stream, values, undefined) : this.storeMessage(stream, [text], new TextEncoder().encode(text));
    this.tellWatchers(stream, 'appended');
    if (!options.silent) {
      this.tellAppendListeners(path, stream.items.at(-1)!);
      this.tellWriteListeners(path);
    }
    return message.offset;
  }

  /**
   * The protocol's append (POST with a body), checked in the reference's order: closed stream, media type,
   * producer, `Stream-Seq`, body. Nothing is stored, and no producer state changes, unless every check passes.
   *
   * @throws HttpError 404 (no stream), 409 (`Content-type mismatch`, `Sequence conflict`), 400 (bad JSON).
   */
  appendBody(path: string, body: Uint8Array, options: AppendOptions): AppendOutcome {
    const stream = this.stream(path);
    const producer = options.producer;
    if (stream.closed) {
      const repeatsClose = producer !== undefined && sameProducerBatch(stream.closedBy, producer);
      return { kind: 'stream-closed', tailOffset: formatOffset(stream.byteCount), duplicateSeq: repeatsClose ? producer.seq : undefined };
    }
    if (options.contentType !== undefined && normalizeContentType(options.contentType) !== normalizeContentType(stream.settings.contentType)) {
      throw new HttpError(409, 'CONTENT_TYPE_MISMATCH', 'Content-type mismatch');
    }
    let accepted: ProducerState | undefined;
    if (producer) {
      forgetIdleProducers(stream.producers, this.sim.scheduler.nowMs);
      const verdict = judgeProducer(stream.producers.get(producer.id), producer, this.sim.scheduler.nowMs);
      if (verdict.status !== 'accepted') return { kind: 'producer-refused', verdict };
      accepted = verdict.next;
    }
    if (options.seq !== undefined && stream.lastSeq !== undefined && options.seq <= stream.lastSeq) {
      throw new HttpError(409, 'SEQUENCE_CONFLICT', 'Sequence conflict');
    }
    const message = this.store(stream, body, false)!;
    if (producer && accepted) stream.producers.set(producer.id, accepted);
    if (options.seq !== undefined) stream.lastSeq = options.seq;
    if (options.close) {
      stream.closed = true;
      stream.closedBy = producer;
    }
    // Readers get the data before the close, so a held read answers the last message with the closed flag.
    this.tellWatchers(stream, 'appended');
    if (options.close) this.tellWatchers(stream, 'closed');
    this.tellAppendListeners(path, stream.items.at(-1)!);
    this.tellWriteListeners(path);
    return { kind: 'appended', offset: message.offset, closed: stream.closed };
  }

  /**
   * The protocol's close without a body (POST with `Stream-Closed: true`). Without a producer it is idempotent;
   * with one it takes part in the producer's sequence, so a retried close is a duplicate, not a conflict.
   *
   * @throws HttpError 404 when there is no stream.
   */
  closeStream(path: string, producer?: ProducerClaim): CloseOutcome {
    const stream = this.stream(path);
    const finalOffset = formatOffset(stream.byteCount);
    if (producer) {
      if (stream.closed) {
        return sameProducerBatch(stream.closedBy, producer)
          ? { kind: 'duplicate', finalOffset, lastSeq: producer.seq }
          : { kind: 'conflict', finalOffset };
      }
      forgetIdleProducers(stream.producers, this.sim.scheduler.nowMs);
      const verdict = judgeProducer(stream.producers.get(producer.id), producer, this.sim.scheduler.nowMs);
      if (verdict.status === 'duplicate') return { kind: 'duplicate', finalOffset, lastSeq: verdict.lastSeq };
      if (verdict.status !== 'accepted') return { kind: 'producer-refused', finalOffset, verdict };
      stream.producers.set(producer.id, verdict.next);
      stream.closedBy = producer;
    }
    stream.closed = true;
    this.tellWatchers(stream, 'closed');
    return { kind: 'closed', finalOffset };
  }

  /** Deletes a stream; held reads of it are woken (and answer 404). False when there was none. */
  delete(path: string): boolean {
    const stream = this.streams.get(path);
    if (!stream) return false;
    this.streams.delete(path);
    this.tellWatchers(stream, 'deleted');
    for (const listener of this.deleteListeners) listener(path);
    return true;
  }

  /**
   * The messages after `offset` (all of them for `-1` or none given). Offsets compare as strings, as in the
   * reference, so any `digits_digits` form is accepted; `now` must be resolved to the tail by the caller.
   *
   * @throws HttpError 404 when there is no stream.
   */
  messagesAfter(path: string, offset: string | undefined): StoredMessage[] {
    const { messages } = this.stream(path);
    if (offset === undefined || offset === BEGINNING_OFFSET) return messages.slice();
    const first = messages.findIndex((message) => message.offset > offset);
    return first < 0 ? [] : messages.slice(first);
  }

  /**
   * Tells `watcher` once about the next append, close or deletion of the stream at `path`. Returns the function that
   * stops watching (a timed-out or aborted read calls it).
   *
   * @throws HttpError 404 when there is no stream.
   */
  watch(path: string, watcher: StreamWatcher): () => void {
    const stream = this.stream(path);
    stream.watchers.push(watcher);
    return () => {
      stream.watchers = stream.watchers.filter((entry) => entry !== watcher);
    };
  }

  /** Catch-up read: every item after `fromOffset` (`-1`: from the start; `now`: none, just the tail). */
  read(path: string, fromOffset: string): ReadResult {
    if (!OFFSET_PATTERN.test(fromOffset)) throw new HttpError(400, 'INVALID_OFFSET', `invalid offset ${fromOffset}`);
    const stream = this.stream(path);
    const tail = formatOffset(stream.byteCount);
    if (fromOffset === TAIL_OFFSET) return { items: [], nextOffset: tail, upToDate: true };
    const items =
      fromOffset === BEGINNING_OFFSET ? stream.items.slice() : stream.items.filter((item) => item.offset > fromOffset);
    return { items, nextOffset: items.length > 0 ? items[items.length - 1]!.offset : tail, upToDate: true };
  }



  private stream(path: string): StoredStream {
    const stream = this.streams.get(path);
    if (!stream) throw streamNotFound();
    return stream;
  }

  /** Stores a request body as one message (none for `[]` in a create), in the stream's own format. */
  private store(stream: StoredStream, body: Uint8Array, isInitialCreate: boolean): StoredMessage | undefined {
    if (!stream.json) return this.storeMessage(stream, [new TextDecoder().decode(body)], body.slice());
    const values = parseJsonAppend(body, isInitialCreate);
    return values.length === 0 ? undefined : this.storeMessage(stream, values, undefined);
  }

  private storeMessage(stream: StoredStream, values: readonly TraceValue[], bytes: Uint8Array | undefined): StoredMessage {
    const previousTail = formatOffset(stream.byteCount);
    stream.byteCount += MESSAGE_FRAME_BYTES + (bytes ? bytes.length : storedJsonByteLength(values));
    const message: StoredMessage = { offset: formatOffset(stream.byteCount), values, bytes };
    // Offsets are strictly increasing and sort as strings: every reader's resume position depends on it.
    worldInvariant(message.offset > previousTail, 'durable-streams', () => `an append moved the tail from ${previousTail} to ${message.offset}`);
    stream.messages.push(message);
    for (const value of values) stream.items.push({ offset: message.offset, value });
    return message;
  }

  private tellWatchers(stream: StoredStream, change: StreamChange): void {
    const watchers = stream.watchers;
    stream.watchers = [];
    for (const watcher of watchers) watcher(change);
  }

  private tellAppendListeners(path: string, item: StreamItem): void {
    for (const listener of this.appendListeners) listener(path, item);
  }

  private tellWriteListeners(path: string): void {
    for (const listener of this.writeListeners) listener(path);
  }
}

function newStream(settings: StreamSettings): StoredStream {
  return {
    settings,
    json: isJsonContentType(settings.contentType),
    messages: [],
    items: [],
    byteCount: 0,
    closed: settings.closed ?? false,
    closedBy: undefined,
    lastSeq: undefined,
    producers: new Map(),
    watchers: [],
  };
}

/** The reference's idempotent-create check: media types compared normalized (none counts as the default). */
function sameSettings(a: StreamSettings, b: StreamSettings): boolean {
  const type = (settings: StreamSettings): string => normalizeContentType(settings.contentType) || DEFAULT_CONTENT_TYPE;
  return type(a) === type(b) && a.ttlSeconds === b.ttlSeconds && a.expiresAt === b.expiresAt && (a.closed ?? false) === (b.closed ?? false);
}

function sameProducerBatch(a: ProducerClaim | undefined, b: ProducerClaim): boolean {
  return a !== undefined && a.id === b.id && a.epoch === b.epoch && a.seq === b.seq;
}
