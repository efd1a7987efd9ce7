import { abortReason } from '../../http/abortReason.ts';
import type { DurableStreamsService, StoredMessage } from '../DurableStreamsService.ts';
import type { VirtualClock } from '../VirtualClock.ts';

/** How a held long-poll ended. */
export type LongPollOutcome =
  /** Data arrived: the messages after the offset at the moment of the append that woke the read. */
  | { readonly kind: 'messages'; readonly messages: readonly StoredMessage[] }
  /** The stream was closed with no new data. */
  | { readonly kind: 'closed' }
  | { readonly kind: 'deleted' }
  /** The poll timeout passed; `closed` tells whether the stream is closed by then. */
  | { readonly kind: 'timeout'; readonly closed: boolean };

/** Where a held read waits, and for how long. */
export interface LongPollWait {
  readonly streams: DurableStreamsService;
  readonly clock: VirtualClock;
  readonly path: string;
  /** The offset the reader is caught up to (the tail when the wait starts). */
  readonly offset: string;
  readonly timeoutMs: number;
  /** The request's signal, if it has one: an abort ends the wait at once, as a dropped connection would. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Holds a long-poll until the stream changes or the poll timeout passes in virtual time. The messages are taken in
 * the same synchronous step as the append that wakes the read, as the reference does, so an answer holds exactly the
 * data present when it was woken. An abort rejects with the signal's reason, which is what `fetch` rejects with, and
 * leaves neither a watcher nor a timer behind.
 */
export function waitForChange(wait: LongPollWait): Promise<LongPollOutcome> {
  const { streams, clock, path, offset, signal } = wait;
  return new Promise<LongPollOutcome>((resolve, reject) => {
    let unwatch = (): void => {};
    const finish = (outcome: LongPollOutcome): void => {
      cancelTimer();
      unwatch();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onChange = (change: 'appended' | 'closed' | 'deleted'): void => {
      if (change === 'deleted') return finish({ kind: 'deleted' });
      if (change === 'closed') return finish({ kind: 'closed' });
      const messages = streams.messagesAfter(path, offset);
      if (messages.length > 0) finish({ kind: 'messages', messages });
      else unwatch = streams.watch(path, onChange);
    };
    // Only ever listening on a signal, so `signal` is there when it runs.
    const onAbort = (): void => {
      cancelTimer();
      unwatch();
      reject(abortReason(signal!));
    };
    const cancelTimer = clock.startTimer(wait.timeoutMs, `long-poll timeout ${path}`, () =>
      finish({ kind: 'timeout', closed: streams.metadata(path)?.closed ?? false }),
    );
    unwatch = streams.watch(path, onChange);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
