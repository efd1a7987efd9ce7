import type { StreamsApi } from '../clients/StreamsApi.ts';
import type { WakeStreamListener, WakeStreamReader } from './WakeStreamReader.ts';

/**
 * The runtime's own reader: a catch-up read, then long-polls, each answer one batch whose items all carry the answer's
 * next offset (the protocol gives one offset per answer), so a runner can resume only at a batch's end.
 */
export class HttpWakeStreamReader implements WakeStreamReader {
  constructor(private readonly streams: StreamsApi) {}

  async follow(stream: string, fromOffset: string, signal: AbortSignal, listener: WakeStreamListener): Promise<never> {
    let offset = fromOffset;
    let connected = false;
    for (;;) {
      signal.throwIfAborted();
      const result = await this.streams.read(stream, offset, { live: connected, signal });
      if (!connected) {
        connected = true;
        listener.connected();
      }
      const handled = listener.batch({ items: result.items.map((value) => ({ value, offset: result.nextOffset })), endOffset: result.nextOffset });
      // Awaited only when there is something to wait for, so that a reader that reads on does so in the same turn.
      if (handled !== undefined) await handled;
      offset = result.nextOffset;
    }
  }
}
