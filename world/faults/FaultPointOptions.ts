/**
 * A moment the simulated world sees in its own services, at which a platform fault may strike (issue 15):
 * - `claim-outstanding`: the agents server answered a claim, and the answer is on its way to the runner;
 * - `wake-in-flight`: a claim was granted, and its done has not arrived;
 * - `preload`: Durable Streams answered a catch-up read of a shared stream, and the answer is on its way;
 * - `post-unrecorded`: the chat performed a post, and the poster has not written to shared state since;
 * - `lease-expiring`: a claim lease is about to run out;
 * - `heartbeat-in-flight`: the agents server answered a heartbeat that reported a new offset, and the answer is on its
 *   way (the heartbeats that carry news; the periodic ones that repeat the stored offset are too many to count);
 * - `stop-drain`: the platform sent SIGTERM, and the process is draining;
 * - `start-up`: a host process started, and is registering its runner and starting it (a deploy that strikes now
 *   stops the process before its runner reads its wake stream, or while its registration is on the wire).
 */
export type FaultMoment =
  | 'claim-outstanding'
  | 'wake-in-flight'
  | 'preload'
  | 'post-unrecorded'
  | 'lease-expiring'
  | 'heartbeat-in-flight'
  | 'stop-drain'
  | 'start-up';

/**
 * The moments a run's world watches, by revision. A new moment asks a choice where none was asked, which changes every
 * later answer of a run with platform faults; so a run's spec names the revision it was explored under (a replay token
 * carries it), and a token written before the revision existed replays under the moments it had.
 * - 1: the first seven moments (tokens written before 2026-12-03 carry no revision, and mean this one);
 * - 2: `start-up` added.
 */
const FIRST_MOMENTS: readonly FaultMoment[] = ['claim-outstanding', 'wake-in-flight', 'preload', 'post-unrecorded', 'lease-expiring', 'heartbeat-in-flight', 'stop-drain'];
export const FAULT_MOMENT_REVISIONS: Readonly<Record<number, readonly FaultMoment[]>> = {
  1: FIRST_MOMENTS,
  2: [...FIRST_MOMENTS, 'start-up'],
};

/** The revision new runs are explored under. */
export const CURRENT_FAULT_MOMENT_REVISION = 2;

/** The revision a token without one was written under. */
export const FIRST_FAULT_MOMENT_REVISION = 1;

/** Whether `value` is a revision this build knows (a number: a token's JSON could hold the text "2"). */
export function isKnownFaultMomentRevision(value: unknown): value is number {
  return typeof value === 'number' && Object.hasOwn(FAULT_MOMENT_REVISIONS, value);
}

/** The revisions this build knows, for an error that refuses another: `1, 2`. */
export const KNOWN_FAULT_MOMENT_REVISIONS = Object.keys(FAULT_MOMENT_REVISIONS).join(', ');

/** The moments of `revision`, the current one when undefined; a revision this build does not know is refused. */
export function faultMomentsOf(revision: number | undefined): readonly FaultMoment[] {
  const known = revision ?? CURRENT_FAULT_MOMENT_REVISION;
  if (!isKnownFaultMomentRevision(known)) throw new RangeError(`unknown fault-moment revision ${revision} (known: ${KNOWN_FAULT_MOMENT_REVISIONS})`);
  return FAULT_MOMENT_REVISIONS[known]!;
}

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
 * takes about 15 ms from claim to done, a post is 2 ms from the write that records it, a drain up to a second, a
 * process registers and reads its wake stream within 3 ms of its start. A process starts a few times a run, so its
 * moment fires more often than those of the requests a process makes many of.
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
    'start-up': { percent: 5, maxDelayMs: 3 },
  },
  maxPerRun: 2,
  leaseExpiringLeadMs: 2_000,
};
