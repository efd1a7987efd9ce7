import type { DurableStreamsService } from '../DurableStreamsService.ts';
import type { ReferenceSubscriptions } from '../ReferenceSubscriptions.ts';
import type { VirtualClock } from '../VirtualClock.ts';

/** What every route handler of the facade works on. */
export interface StreamsHttpContext {
  readonly streams: DurableStreamsService;
  readonly subscriptions: ReferenceSubscriptions;
  readonly clock: VirtualClock;
  /** How long a long-poll is held with nothing to say, in virtual milliseconds (the reference's default is 30 s). */
  readonly longPollTimeoutMs: number;
}
