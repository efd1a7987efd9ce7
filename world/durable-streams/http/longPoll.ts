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
  return new Promise<LongPollOutcome>((resolve, reject) => new HeldPoll(wait, resolve, reject).start());
}

const NOTHING = (): void => {};

/**
 * One held long-poll: an object with methods rather than a closure per callback (a runner holds a read on its wake
 * stream most of a run). It is the abort listener of the request's signal itself (`handleEvent`).
 */
class HeldPoll {
  private unwatch = NOTHING;
  private cancelTimer = NOTHING;

  constructor(
    private readonly wait: LongPollWait,
    private readonly resolve: (outcome: LongPollOutcome) => void,
    private readonly reject: (reason: unknown) => void,
  ) {}

  start(): void {
    const { streams, clock, path } = this.wait;
    this.cancelTimer = clock.startTimer(this.wait.timeoutMs, `long-poll timeout ${path}`, () =>
      this.finish({ kind: 'timeout', closed: streams.metadata(path)?.closed ?? false }),
    );
    this.unwatch = streams.watch(path, (change) => this.changed(change));
    this.wait.signal?.addEventListener('abort', this, { once: true });
  }

  /** The request's signal aborted: the wait ends at once. Only ever listening on a signal, so there is one. */
  handleEvent(): void {
    this.cancelTimer();
    this.unwatch();
    this.reject(abortReason(this.wait.signal!));
  }

  private changed(change: 'appended' | 'closed' | 'deleted'): void {
    if (change === 'deleted') return this.finish({ kind: 'deleted' });
    if (change === 'closed') return this.finish({ kind: 'closed' });
    const { streams, path, offset } = this.wait;
    const messages = streams.messagesAfter(path, offset);
    if (messages.length > 0) this.finish({ kind: 'messages', messages });
    else this.unwatch = streams.watch(path, (next) => this.changed(next));
  }

  private finish(outcome: LongPollOutcome): void {
    this.cancelTimer();
    this.unwatch();
    this.wait.signal?.removeEventListener('abort', this);
    this.resolve(outcome);
  }
}
