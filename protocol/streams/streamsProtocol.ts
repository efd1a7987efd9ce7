/**
 * The parts of the Durable Streams protocol a runtime needs (what `@durable-streams/client` speaks): stream URLs,
 * read parameters and answer headers, and the wake event a pull-wake subscription appends to a runner's wake stream.
 */

/** Streams live under this path of the service; subscriptions and wake events name them relative to it. */
export const STREAM_ROOT = '/v1/stream/';

/** Read from the beginning of a stream (the same as no offset). */
export const BEGINNING_OFFSET = '-1';
/** Read from the current tail: a catch-up read answers no items and the tail offset. */
export const TAIL_OFFSET = 'now';

/** Query parameters of a read. */
export const OFFSET_PARAM = 'offset';
export const LIVE_PARAM = 'live';
/** `live=long-poll`: held until data arrives or the server's poll timeout passes (then 204). */
export const LONG_POLL = 'long-poll';

/** Answer headers of a read (lower case). */
export const NEXT_OFFSET_HEADER = 'stream-next-offset';
export const UP_TO_DATE_HEADER = 'stream-up-to-date';
export const CLOSED_HEADER = 'stream-closed';

/** The path of the stream `name` (`runners/runner-1/wake` -> `/v1/stream/runners/runner-1/wake`). */
export const streamPath = (name: string): string => `${STREAM_ROOT}${name.replace(/^\/+/, '')}`;

/** The wake event a pull-wake subscription appends to its wake stream. */
export interface WakeEvent {
  readonly type: 'wake';
  readonly subscription_id: string;
  /** The linked stream whose write issued the wake, relative to the root. */
  readonly stream: string;
  readonly generation: number;
  /** Wall-clock milliseconds (virtual in a simulation). */
  readonly ts: number;
}

/** The wake event `value` holds, or undefined for any other item (which needs no claim). */
export function asWakeEvent(value: unknown): WakeEvent | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const event = value as Partial<WakeEvent>;
  if (event.type !== 'wake' || typeof event.subscription_id !== 'string' || typeof event.generation !== 'number') return undefined;
  return event as WakeEvent;
}

/** True when concrete offset `a` lies at or before `b`; `-1` lies before everything. Offsets compare as strings. */
export function offsetAtOrBefore(a: string, b: string): boolean {
  if (a === BEGINNING_OFFSET) return true;
  if (b === BEGINNING_OFFSET) return false;
  return a <= b;
}

/** The path under which shared-state DBs keep their streams, and the stream name of the DB `id`. */
export const SHARED_STATE_ROOT = 'shared/';
export const sharedStateStream = (id: string): string => `${SHARED_STATE_ROOT}${id}`;
