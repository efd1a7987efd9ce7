import { stream } from '@durable-streams/client';
import type { HttpPort } from '../ports.ts';
import type { WakeStreamListener, WakeStreamReader } from './WakeStreamReader.ts';

/** Thrown when the client's session ends without an error: the runner reconnects, as after any stream end. */
export class WakeStreamEndedError extends Error {
  override name = 'WakeStreamEndedError';
}

/**
 * The library tier's reader: `stream({ live: 'long-poll' })` of `@durable-streams/client` over the world's fetch,
 * consumed with `subscribeJson`. The client hands over one batch per HTTP response with a single offset, the
 * response's `Stream-Next-Offset`: every item of a batch carries that offset, and a runner can resume only at a
 * batch's end.
 */
export class ClientWakeStreamReader implements WakeStreamReader {
  constructor(private readonly http: HttpPort) {}

  async follow(path: string, fromOffset: string, interrupted: Promise<never>, listener: WakeStreamListener): Promise<never> {
    const abort = new AbortController();
    let unsubscribe = (): void => {};
    try {
      const session = stream({
        url: `${this.http.origin}${path}`,
        offset: fromOffset,
        live: 'long-poll',
        json: true,
        fetch: this.http.fetch,
        signal: abort.signal,
        warnOnHttp: false,
      });
      // Whichever loses the race below still settles later; its outcome is of no interest then.
      session.catch(() => {});
      const response = await Promise.race([session, interrupted]);
      response.closed.catch(() => {});
      listener.connected();
      unsubscribe = response.subscribeJson((batch) => {
        listener.batch({ items: batch.items.map((value) => ({ value, offset: batch.offset })), endOffset: batch.offset });
      });
      await Promise.race([response.closed, interrupted]);
      throw new WakeStreamEndedError(`wake stream ${path} ended`);
    } finally {
      unsubscribe();
      abort.abort();
    }
  }
}
