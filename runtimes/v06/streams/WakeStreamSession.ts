import { stream, type JsonBatch, type StreamResponse } from '@durable-streams/client';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';

/** Items the wake stream delivered together, and the offset that follows them. */
export interface WakeStreamBatch {
  readonly items: readonly unknown[];
  /** The answer's `Stream-Next-Offset`: the only position the protocol gives for these items. */
  readonly offset: string;
}

/** Thrown when a session ends without an error (the service closed the stream): the runner reconnects. */
export class WakeStreamEnded extends Error {
  override name = 'WakeStreamEnded';
}

/**
 * An open long-poll session on a runner's wake stream: the first answer arrived (the connect), the items it and every
 * later answer carry are handed over by {@link follow}. Closing aborts the request in flight; a session is followed
 * at most once.
 */
export class WakeStreamSession {
  private constructor(
    private readonly response: StreamResponse<unknown>,
    private readonly connection: AbortController,
  ) {}

  /**
   * Connects: `stream({ live: 'long-poll', json: true })` of `@durable-streams/client` from `fromOffset`, resolved when
   * the first answer arrived. Aborting `signal` while connecting rejects and drops the request (the B5 fix needs a
   * connect that can be abandoned).
   */
  static async open(fetch: FetchFunction, baseUrl: string, name: string, fromOffset: string, signal: AbortSignal): Promise<WakeStreamSession> {
    const connection = new AbortController();
    const abandon = (): void => connection.abort(signal.reason);
    signal.addEventListener('abort', abandon, { once: true });
    try {
      const response = await stream({
        url: `${baseUrl}${streamPath(name)}`,
        offset: fromOffset,
        live: 'long-poll',
        json: true,
        fetch,
        signal: connection.signal,
        warnOnHttp: false,
      });
      // The caller gave up while the first answer was on its way: nobody will follow this session.
      if (signal.aborted) {
        connection.abort(signal.reason);
        throw signal.reason;
      }
      return new WakeStreamSession(response, connection);
    } finally {
      signal.removeEventListener('abort', abandon);
    }
  }

  /**
   * Hands every batch to `onBatch`, in order, until the session fails (rejects with the client's error), the service
   * ends the stream (rejects with {@link WakeStreamEnded}) or `signal` aborts (rejects with its reason, after closing
   * the session). Nothing reaches `onBatch` once this has settled.
   */
  follow(signal: AbortSignal, onBatch: (batch: WakeStreamBatch) => void): Promise<never> {
    return new Promise<never>((_, reject) => {
      let over = false;
      const finish = (reason: unknown): void => {
        if (over) return;
        over = true;
        signal.removeEventListener('abort', onAbort);
        unsubscribe();
        this.close();
        reject(reason);
      };
      const onAbort = (): void => finish(signal.reason);
      const unsubscribe = this.response.subscribeJson((batch: JsonBatch<unknown>) => {
        if (!over) onBatch({ items: batch.items, offset: batch.offset });
      });
      this.response.closed.then(
        () => finish(new WakeStreamEnded('the wake stream session ended')),
        (error: unknown) => finish(error),
      );
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Drops the session: the long-poll in flight is aborted. */
  close(): void {
    this.connection.abort(new WakeStreamEnded('session closed by the runner'));
  }
}
