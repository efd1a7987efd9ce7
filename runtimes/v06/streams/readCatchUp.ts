import { stream } from '@durable-streams/client';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';

/** One item of a catch-up read, with the offset a reader resumes from to read what follows it. */
export interface CaughtUpItem {
  readonly value: unknown;
  /** The end of the answer the item came in: the protocol gives one offset per answer, not per item. */
  readonly offset: string;
}

/** Everything after an offset, up to the stream's current end. */
export interface CatchUp {
  readonly items: readonly CaughtUpItem[];
  /** Where a later read continues. */
  readonly endOffset: string;
}

/**
 * Reads stream `name` from `fromOffset` to its current end with `@durable-streams/client` (`live: false`), over the
 * process's `fetch`. A missing stream rejects with the client's `FetchError` (404).
 *
 * `json()` collects every item up to the end. (Subscribing with `subscribeJson` and awaiting `closed` lost items: the
 * session may close before the subscriber was handed the last batch, and the wake then acked input its handler never
 * saw — `lost-work` with no fault, run 1 of seed 1.) Each item gets the read's end offset: what a reader resumes from.
 */
export async function readCatchUp(fetch: FetchFunction, baseUrl: string, name: string, fromOffset: string): Promise<CatchUp> {
  const session = await stream({ url: `${baseUrl}${streamPath(name)}`, offset: fromOffset, live: false, json: true, fetch, warnOnHttp: false });
  const values = await session.json();
  const endOffset = session.offset;
  return { items: values.map((value): CaughtUpItem => ({ value, offset: endOffset })), endOffset };
}
