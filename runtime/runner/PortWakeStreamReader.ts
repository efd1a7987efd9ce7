import type { StreamsClient } from '../ports.ts';
import type { WakeStreamListener, WakeStreamReader } from './WakeStreamReader.ts';

/**
 * The fast tier's reader: a catch-up read, then long-poll reads, through the world's `streams` port. The port gives
 * every item its own offset, so each item is a batch of its own: a runner can resume right after any of them.
 */
export class PortWakeStreamReader implements WakeStreamReader {
  constructor(private readonly streams: StreamsClient) {}

  async follow(path: string, fromOffset: string, interrupted: Promise<never>, listener: WakeStreamListener): Promise<never> {
    let offset = fromOffset;
    let connected = false;
    for (;;) {
      // An interrupted read is abandoned, not cancelled: its answer is delivered into nothing.
      const read = connected ? this.streams.readLive(path, offset) : this.streams.read(path, offset);
      const result = await Promise.race([read, interrupted]);
      if (!connected) {
        connected = true;
        listener.connected();
      }
      for (const item of result.items) listener.batch({ items: [item], endOffset: item.offset });
      if (result.items.length === 0) listener.batch({ items: [], endOffset: result.nextOffset });
      offset = result.nextOffset;
    }
  }
}
