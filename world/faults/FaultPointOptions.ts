/**
 * A moment the simulated world sees in its own services, at which a platform fault may strike (issue 15):
 * - `claim-outstanding`: the agents server answered a claim, and the answer is on its way to the runner;
 * - `wake-in-flight`: a claim was granted, and its done has not arrived;
 * - `preload`: Durable Streams answered a catch-up read of a shared stream, and the answer is on its way;
 * - `post-unrecorded`: the chat performed a post, and the poster has not written to shared state since;
 * - `lease-expiring`: a claim lease is about to run out;
 * - `heartbeat-in-flight`: the agents server answered a heartbeat that reported a new offset, and the answer is on its
 *   way (the heartbeats that carry news; the periodic ones that repeat the stored offset are too many to count);
 * - `stop-drain`: the platform sent SIGTERM, and the process is draining.
 */
export type FaultMoment =
  | 'claim-outstanding'
  | 'wake-in-flight'
  | 'preload'
  | 'post-unrecorded'
  | 'lease-expiring'
  | 'heartbeat-in-flight'
  | 'stop-drain';

/** How faults strike at one kind of moment. */
export interface MomentOptions {
  /** Chance, in percent, that a moment of this kind sets off a platform fault. */
  readonly percent: number;
  /** The fault strikes this long after the moment at most; the delay is a choice, 0 first. */
  readonly maxDelayMs: number;
}

/** Rates of the fault points, and their limits. */
export interface FaultPointOptions {
  readonly moments: Readonly<Record<FaultMoment, MomentOptions>>;
  /** Fault points one run sets off at most; once there, moments ask no more questions. */
  readonly maxPerRun: number;
  /** `lease-expiring` is this long before a lease runs out (a lease that ends sooner has no such moment). */
  readonly leaseExpiringLeadMs: number;
}

/**
 * Delays are as long as the window each moment opens with in-order 1 ms deliveries: an answer is 1 ms away, a wake
 * takes about 15 ms from claim to done, a post is 2 ms from the write that records it, a drain up to a second.
 */
export const DEFAULT_FAULT_POINT_OPTIONS: FaultPointOptions = {
  moments: {
    'claim-outstanding': { percent: 1, maxDelayMs: 1 },
    'wake-in-flight': { percent: 3, maxDelayMs: 12 },
    preload: { percent: 2, maxDelayMs: 1 },
    'post-unrecorded': { percent: 5, maxDelayMs: 2 },
    'lease-expiring': { percent: 30, maxDelayMs: 2_000 },
    'heartbeat-in-flight': { percent: 3, maxDelayMs: 1 },
    'stop-drain': { percent: 10, maxDelayMs: 1_000 },
  },
  maxPerRun: 2,
  leaseExpiringLeadMs: 2_000,
};
