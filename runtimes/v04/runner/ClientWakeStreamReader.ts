import { stream } from '@durable-streams/client';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import type { WakeStreamListener, WakeStreamReader } from './WakeStreamReader.ts';

/** Thrown when the client's session ends without an error: the runner reconnects, as after any stream end. */
export class WakeStreamEndedError extends Error {
  override name = 'WakeStreamEndedError';
}

/**
 * The library tier's reader: `stream({ live: 'long-poll' })` of `@durable-streams/client` over the host's fetch,
 * consumed with `subscribeJson`. The client hands over one batch per HTTP response with a single offset, the
 * response's `Stream-Next-Offset`.
 */
export class ClientWakeStreamReader implements WakeStreamReader {
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: FetchFunction,
  ) {}

  async follow(name: string, fromOffset: string, signal: AbortSignal, listener: WakeStreamListener): Promise<never> {
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const interrupted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    interrupted.catch(() => {});
    let unsubscribe = (): void => {};
    try {
      const session = stream({
        url: `${this.baseUrl}${streamPath(name)}`,
        offset: fromOffset,
        live: 'long-poll',
        json: true,
        fetch: this.fetch,
        signal: abort.signal,
        warnOnHttp: false,
      });
      // Whichever loses the race below still settles later; its outcome is of no interest then.
      session.catch(() => {});
      const response = await Promise.race([session, interrupted]);
      response.closed.catch(() => {});
      listener.connected();
      // The client awaits what the subscriber returns before it hands over the next batch.
      unsubscribe = response.subscribeJson((batch) => listener.batch({ items: batch.items.map((value) => ({ value, offset: batch.offset })), endOffset: batch.offset }));
      await Promise.race([response.closed, interrupted]);
      throw new WakeStreamEndedError(`wake stream ${name} ended`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      abort.abort();
    }
  }
}
