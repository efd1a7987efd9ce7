import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';

/**
 * The switches of the v0.4 runtime (semantics.md §4): the defective behaviour of 0.4.x and each proposed fix,
 * selectable by name, plus how it reaches the libraries and the network.
 */

/** Defect B: what `ctx.observe(db(...))` does when wiring a shared-state DB fails. */
export const WIRING_MODES = ['swallow', 'reject', 'retry', 'empty', 'retry-same-db'] as const;
/** Defect A: where a new runner starts reading its wake stream. */
export const OFFSET_MODES = ['minus-one', 'durable', 'durable-raw', 'tail', 'server-seek'] as const;
/**
 * Which implementation of the Durable Streams libraries the runtime uses: `fast`, its own small readers; `real`,
 * `@durable-streams/state` StreamDBs and `@durable-streams/client` over the host's `fetch`.
 */
export const STREAMS_TIERS = ['fast', 'real'] as const;
/** How requests leave the process: the host's direct transport, or its `fetch` (the same requests; a test compares). */
export const TRANSPORTS = ['direct', 'fetch'] as const;
/** Hardening: what the runner does with a claim that failed transiently (a 5xx, a dropped connection). */
export const CLAIM_RETRY_MODES = ['none', 'backoff'] as const;
/** Hardening: whether a wake keeps its lease while it runs longer than the lease lasts. */
export const LEASE_RENEWAL_MODES = ['none', 'renew'] as const;
/** Hardening: whether a wake gives its claim up once the lease it can be sure of runs out. */
export const LEASE_FENCE_MODES = ['none', 'deadline'] as const;
/** Hardening: whether a lease renewal the network leaves unanswered holds up the renewals after it. */
export const RENEWAL_TIMEOUT_MODES = ['none', 'interval', 'short'] as const;
/** Hardening: how soon a lease renewal that got no answer is tried again. */
export const RENEWAL_RETRY_MODES = ['none', 'backoff'] as const;
/** Hardening: whether the handler's context carries a signal that aborts when the wake loses its claim. */
export const HANDLER_SIGNAL_MODES = ['none', 'lease'] as const;
/** Hardening: whether the runner gives up on a wake-stream read that never answers. */
export const READ_WATCHDOG_MODES = ['none', 'reset'] as const;
/** Hardening: whether a failed wake's done acknowledges the inputs it was woken for. */
export const FAILED_WAKE_MODES = ['ack', 'redeliver'] as const;

export type WiringMode = (typeof WIRING_MODES)[number];
export type OffsetMode = (typeof OFFSET_MODES)[number];
export type StreamsTier = (typeof STREAMS_TIERS)[number];
export type Transport = (typeof TRANSPORTS)[number];
export type ClaimRetryMode = (typeof CLAIM_RETRY_MODES)[number];
/** Hardening: whether a request the network never answers is given up. */
export const REQUEST_TIMEOUT_MODES = ['none', 'abort'] as const;
export type RequestTimeoutMode = (typeof REQUEST_TIMEOUT_MODES)[number];
/** Hardening (B2's fix, 37b9922e7): whether a wake event of an entity whose wake runs in this process is claimed at once. */
export const CLAIM_GUARD_MODES = ['none', 'defer'] as const;
export type ClaimGuardMode = (typeof CLAIM_GUARD_MODES)[number];
/** Historical B6 (d344c32aa): whether a wake whose handler pass completed still sends its done once a stop began. */
export const STOP_DONE_MODES = ['skip', 'send'] as const;
export type StopDoneMode = (typeof STOP_DONE_MODES)[number];
/**
 * Historical B4(a) (e126eba37, #4339): what the runner does when its wake-stream read ends in an error (the
 * connection cut by a restart, a 5xx, a reset it asked for itself).
 */
export const STREAM_RECONNECT_MODES = ['give-up', 'backoff'] as const;
export type StreamReconnectMode = (typeof STREAM_RECONNECT_MODES)[number];
/**
 * Historical B5 (87be53999, #4542): which runner states accept the stream reset that follows consecutive heartbeat
 * failures.
 */
export const STREAM_RESET_MODES = ['connected-only', 'any-state'] as const;
export type StreamResetMode = (typeof STREAM_RESET_MODES)[number];
/**
 * Historical O2 (503ccbfec, unmerged upstream): what the runner does with a done answered `next_wake: true` (work came
 * while the wake held its claim, and the server issued the next wake at once).
 */
export const NEXT_WAKE_MODES = ['ignore', 'claim'] as const;
export type NextWakeMode = (typeof NEXT_WAKE_MODES)[number];
/**
 * Historical O3 (c1f1aed46, unmerged upstream): what the done of a wake that ends while a stop is under way acks (the
 * stop's cleanup of the wakes still in flight).
 */
export const STOP_ACK_MODES = ['tail', 'given'] as const;
export type StopAckMode = (typeof STOP_ACK_MODES)[number];
/**
 * Historical B7 (0418d908c, #4613): which of the `wake` rows (a child's `runFinished`, say) one read of a claimed stream
 * returned together the handler is given; the wake acks the whole read either way.
 */
export const WAKE_BATCH_MODES = ['newest', 'all'] as const;
export type WakeBatchMode = (typeof WAKE_BATCH_MODES)[number];
/**
 * Historical O1 (#4632 / #4726, open): how `claim-guard=defer` keeps the wake rows it defers while a wake of their
 * entity runs in this process.
 */
export const DEFERRAL_MODES = ['one-slot', 'fifo'] as const;
export type DeferralMode = (typeof DEFERRAL_MODES)[number];
/**
 * Historical B4(b) (e126eba37, #4339): whether the runner claims the wake events it reads while a wake runs, or, as the
 * first runner did, claims one, awaits the drain of its running wakes, and only then reads and claims on.
 */
export const CLAIM_CONCURRENCY_MODES = ['serial', 'concurrent'] as const;
export type ClaimConcurrencyMode = (typeof CLAIM_CONCURRENCY_MODES)[number];
/**
 * Historical B4(c) (e126eba37, #4339): whether a claim answered once a stop began is dispatched (the first runner),
 * or dropped at an `acceptingClaims` gate.
 */
export const STOP_GATE_MODES = ['none', 'accepting-claims'] as const;
export type StopGateMode = (typeof STOP_GATE_MODES)[number];
/** Hardening: what a wake does with a done that failed transiently. */
export const DONE_RETRY_MODES = ['none', 'backoff'] as const;
export type DoneRetryMode = (typeof DONE_RETRY_MODES)[number];
export type LeaseRenewalMode = (typeof LEASE_RENEWAL_MODES)[number];
export type LeaseFenceMode = (typeof LEASE_FENCE_MODES)[number];
export type RenewalTimeoutMode = (typeof RENEWAL_TIMEOUT_MODES)[number];
export type RenewalRetryMode = (typeof RENEWAL_RETRY_MODES)[number];
export type HandlerSignalMode = (typeof HANDLER_SIGNAL_MODES)[number];
export type ReadWatchdogMode = (typeof READ_WATCHDOG_MODES)[number];
export type FailedWakeMode = (typeof FAILED_WAKE_MODES)[number];

/** One value of every switch of this runtime. */
export interface V04Config {
  readonly wiring: WiringMode;
  readonly offset: OffsetMode;
  readonly streams: StreamsTier;
  readonly transport: Transport;
  readonly claimRetry: ClaimRetryMode;
  readonly doneRetry: DoneRetryMode;
  readonly stopDone: StopDoneMode;
  readonly streamReconnect: StreamReconnectMode;
  readonly streamReset: StreamResetMode;
  readonly leaseRenewal: LeaseRenewalMode;
  readonly leaseFence: LeaseFenceMode;
  readonly renewalTimeout: RenewalTimeoutMode;
  readonly renewalRetry: RenewalRetryMode;
  readonly handlerSignal: HandlerSignalMode;
  readonly readWatchdog: ReadWatchdogMode;
  readonly failedWake: FailedWakeMode;
  readonly claimGuard: ClaimGuardMode;
  readonly requestTimeout: RequestTimeoutMode;
  readonly nextWake: NextWakeMode;
  readonly stopAck: StopAckMode;
  readonly wakeBatch: WakeBatchMode;
  readonly claimDeferral: DeferralMode;
  readonly claimConcurrency: ClaimConcurrencyMode;
  readonly stopGate: StopGateMode;
}

/** The server's resume source each runner offset mode needs (the world's `resume-offset` switch). */
const RESUME_OFFSET_FOR: Readonly<Record<OffsetMode, string>> = {
  'minus-one': 'none',
  durable: 'reported',
  'durable-raw': 'reported',
  tail: 'none',
  'server-seek': 'acked-seek',
};

export const V04_SWITCHES: readonly SwitchDefinition[] = [
  {
    name: 'wiring',
    values: WIRING_MODES,
    defaultValue: 'swallow',
    summary: 'defect B: what observe(db(...)) does when wiring a shared-state DB fails',
    meanings: {
      swallow: "0.4.x: the chain's .catch records the error, observe resolves unwired",
      reject: 'fix (a): observe rejects, the wake fails closed',
      retry: 'fix (b): retry the preload with a fresh DB and bounded backoff until wired',
      empty: 'the fix the report warns against: a preload error reads as an empty stream',
      'retry-same-db': 'the obvious fix that traps: preload() again on the same DB, which never settles',
    },
  },
  {
    name: 'offset',
    values: OFFSET_MODES,
    defaultValue: 'minus-one',
    summary: 'defect A: where a new runner starts reading its wake stream',
    meanings: {
      'minus-one': '0.4.x: every new runner starts at -1',
      durable: 'the runner reports its settled low-water mark; registration returns it',
      'durable-raw': 'the same with the raw read offset',
      tail: 'a fresh runner starts at now',
      'server-seek': 'the server seeks the runner to the end of the settled prefix of its wake stream',
    },
    implies: (value) => ({ 'resume-offset': RESUME_OFFSET_FOR[value as OffsetMode] ?? 'none' }),
  },
  {
    name: 'streams',
    values: STREAMS_TIERS,
    defaultValue: 'fast',
    summary: 'the Durable Streams libraries: the runtime\'s own readers, or the real client and StreamDB',
    meanings: { fast: "the runtime's own small readers", real: 'the library tier: real StreamDBs and @durable-streams/client over fetch' },
  },
  {
    name: 'transport',
    values: TRANSPORTS,
    defaultValue: 'direct',
    summary: 'how requests leave the process (an optimisation: the services observe the same requests)',
    meanings: { direct: 'the host transport, without WHATWG objects', fetch: "the host's fetch" },
  },
  {
    name: 'claim-retry',
    values: CLAIM_RETRY_MODES,
    defaultValue: 'none',
    summary: 'hardening: what the runner does with a claim that failed transiently (a 5xx, a dropped connection)',
    meanings: {
      none: '0.4.x: the wake is dropped; its work waits for the next wake, if one ever comes',
      backoff: 'retry the claim after 1 s, doubling to 30 s, until it is answered or the runner stops',
    },
  },
  {
    name: 'done-retry',
    values: DONE_RETRY_MODES,
    defaultValue: 'none',
    summary: 'hardening: what a wake does with a done that failed transiently (a 5xx, a dropped connection)',
    meanings: {
      none: '0.4.x: the done is reported failed and never sent again; the claim waits for its lease (and a reaper)',
      backoff: 'retry the done after 0.5 s, doubling to 2 s, while the lease lasts: a done refused while the agents server restarts reaches it once it is back',
    },
  },
  {
    name: 'stop-done',
    values: STOP_DONE_MODES,
    defaultValue: 'send',
    summary: 'historical B6 (d344c32aa): whether a wake whose handler pass completed sends its done after a stop began',
    meanings: {
      skip: 'B6, the defect: once a stop is requested the done is skipped; the claim stays pending over finished work',
      send: 'the fix: the done is always sent with the offsets the pass consumed',
    },
  },
  {
    name: 'stream-reconnect',
    values: STREAM_RECONNECT_MODES,
    defaultValue: 'backoff',
    summary: 'historical B4(a) (e126eba37): whether the runner reads its wake stream again after a read ended in an error',
    meanings: {
      'give-up': 'B4(a), the defect: the first failed read ends the read loop for good; the process lives on (heartbeats go on) but reads no wake',
      backoff: 'the fix: reconnect after 1 s, doubling to 30 s, until the runner stops',
    },
  },
  {
    name: 'stream-reset',
    values: STREAM_RESET_MODES,
    defaultValue: 'any-state',
    summary: 'historical B5 (87be53999): whether the stream reset after heartbeat failures also aborts a connect still under way',
    meanings: {
      'connected-only': 'B5, the defect: the reset is ignored until a read of the wake stream answered since the last (re)connect; a connect that hangs is never aborted',
      'any-state': 'the fix: the reset aborts whatever connect or read of the wake stream is under way, and the runner reconnects',
    },
    recordedAtDefault: false,
  },
  {
    name: 'lease-renewal',
    values: LEASE_RENEWAL_MODES,
    defaultValue: 'none',
    summary: 'hardening: whether a wake that runs longer than its lease keeps it',
    meanings: {
      none: '0.4.x: the lease runs out after lease_ttl_ms whatever the wake is doing; a second wake of the entity may start beside it',
      renew: 'renew the lease every third of its length while the wake runs; a wake whose renewal is refused has lost its claim and stops before its handler goes on',
    },
  },
  {
    name: 'lease-fence',
    values: LEASE_FENCE_MODES,
    defaultValue: 'none',
    summary: 'hardening: whether a wake gives its claim up once the lease it can be sure of runs out',
    meanings: {
      none: '0.4.x: a wake runs on past the end of its lease unless a renewal is refused; a renewal that never gets through (an outage, a hung request) leaves it running beside the next wake of the entity',
      deadline: 'count the lease from when the claim, or the last renewal the server confirmed, was sent; 5 s before that lease ends the wake has lost its claim, as on a refused renewal: a preload in flight is aborted, a wiring backoff is cut short, and the wake sends a done that acks nothing (releasing the claim if the service still holds it) and is abandoned at its next step',
    },
    recordedAtDefault: false,
  },
  {
    name: 'renewal-timeout',
    values: RENEWAL_TIMEOUT_MODES,
    defaultValue: 'none',
    summary: 'hardening: whether a lease renewal the network leaves unanswered holds up the renewals after it (with lease-renewal=renew)',
    meanings: {
      none: 'a renewal waits for its answer as long as its request does (30 s with request-timeout=abort: as long as a lease lasts), and the next goes out a third of the lease after it ended: one renewal on a connection that hangs costs a running wake its lease',
      interval: 'a renewal still unanswered when the next is due (a third of the lease after it went out) is given up, and the next goes out then: a hung connection costs one renewal, not the lease, when the renewal before it was answered promptly (the schedule counts from each answer)',
      short: 'a renewal unanswered 2 s after it went out (the agents server answers within milliseconds) is given up as one that got no answer: with renewal-retry=backoff it is tried again within seconds, so two connections that hang in a row cost seconds, not the lease; otherwise the next goes out a third of the lease after it was given up',
    },
    recordedAtDefault: false,
  },
  {
    name: 'renewal-retry',
    values: RENEWAL_RETRY_MODES,
    defaultValue: 'none',
    summary: 'hardening: how soon a lease renewal that got no answer (a 5xx, a dropped connection) is tried again (with lease-renewal=renew)',
    meanings: {
      none: 'at the next regular renewal, a third of the lease later: a network outage that ends just after a renewal leaves the lease two thirds of its length to run unrenewed, and with lease-fence=deadline the wake may give its claim up first',
      backoff: 'after 1 s, then every 2 s, never later than the next regular renewal: the first renewal after an outage goes out within 2 s of its end',
    },
    recordedAtDefault: false,
  },
  {
    name: 'handler-signal',
    values: HANDLER_SIGNAL_MODES,
    defaultValue: 'none',
    summary: "hardening: whether the handler's context carries a signal that aborts when the wake loses its claim (with lease-renewal=renew or lease-fence=deadline)",
    meanings: {
      none: '0.4.x: the context has no signal; a handler stalled in a slow call (a model, an API) runs on after its wake lost its claim, beside the entity\'s next wake once the lease has run out',
      lease: 'ctx.signal aborts when the wake loses its claim (a renewal refused, or the deadline of lease-fence=deadline), and so does a shared-state write the handler is waiting on: a handler that passes it to its slow calls ends before the lease does, and the wake is abandoned whatever the handler threw',
    },
    recordedAtDefault: false,
  },
  {
    name: 'read-watchdog',
    values: READ_WATCHDOG_MODES,
    defaultValue: 'none',
    summary: 'hardening: whether the runner gives up on a wake-stream read that never answers',
    meanings: {
      none: '0.4.x: a read waits as long as its connection does; a connect that hangs leaves the runner deaf to its wakes',
      reset: 'abort a wake-stream read that has not answered within 30 s (a long-poll answers within 20 s) and reconnect',
    },
  },
  {
    name: 'failed-wake',
    values: FAILED_WAKE_MODES,
    defaultValue: 'ack',
    summary: "hardening: whether a failed wake's done acknowledges the inputs it was woken for",
    meanings: {
      ack: '0.4.x: a failed wake is acked as having consumed its inputs (no retry): a message it was for is never handled',
      redeliver: 'a failed wake sends done without acks: its inputs stay pending and the server wakes the entity again',
    },
  },
  {
    name: 'claim-guard',
    values: CLAIM_GUARD_MODES,
    defaultValue: 'none',
    summary: 'hardening (B2\'s fix): whether a wake event of an entity whose wake still runs in this process is claimed at once',
    meanings: {
      none: '0.4.x: every wake event is claimed as it is read; if the service lost the running wake\'s lease (a restart), it grants the claim and two wakes of the entity run at once',
      defer: 'the claim waits until the entity\'s running wake in this process has ended (acked, failed or abandoned), then goes out',
    },
  },
  {
    name: 'request-timeout',
    values: REQUEST_TIMEOUT_MODES,
    defaultValue: 'none',
    summary: 'hardening: whether a request the network never answers (a connection that hangs) is given up',
    meanings: {
      none: '0.4.x: a request waits as long as its connection does; a wake whose preload hangs holds its claim for good',
      abort: 'abort any request unanswered after 30 s (a long-poll is answered within 20 s), failing it as a dropped connection, so the usual retries take over',
    },
  },
  {
    name: 'next-wake',
    values: NEXT_WAKE_MODES,
    defaultValue: 'ignore',
    summary: "historical O2 (503ccbfec): what the runner does with a done answered next_wake: true (work came while the claim was held)",
    meanings: {
      ignore: "0.4.x, the defect: the answer is dropped; the work waits for a wake event, and strands where the server sends none (pending-wake=answer-only)",
      claim: "the fix as modelled: the runner claims the entity's subscription again, on the path a wake event's claim takes (claim-guard, claim-retry apply); never after a stop began",
    },
    recordedAtDefault: false,
  },
  {
    name: 'wake-batch',
    values: WAKE_BATCH_MODES,
    defaultValue: 'all',
    summary: "historical B7 (0418d908c): which wake rows (a child's runFinished) of one read of a claimed stream the handler is given; the read is acked whole",
    meanings: {
      newest: 'B7, the defect: only the newest wake row of the read is given (selectWakeFromEvents), yet the done acks the whole read: an earlier child completion is never seen',
      all: 'the fix: every row of the read is given (a wake_batch), and the ack is at its last row',
    },
    recordedAtDefault: false,
  },
  {
    name: 'claim-deferral',
    values: DEFERRAL_MODES,
    defaultValue: 'fifo',
    summary: "historical O1 (#4632, open; v0.6 calls it deferral): how claim-guard=defer keeps the wake rows (a child's runFinished, under run-finished-delivery=wake-stream) read while their entity's wake runs",
    meanings: {
      'one-slot': "O1, #4616 as shipped upstream: one deferred row per entity; a later one overwrites it, and the earlier row's payload is never given",
      fifo: 'the proposed fix, and this runtime as it always was: every deferred row is kept in arrival order and given to the next wake of its entity',
    },
    recordedAtDefault: false,
  },
  {
    name: 'stop-ack',
    values: STOP_ACK_MODES,
    defaultValue: 'given',
    summary: "historical O3 (c1f1aed46): what a stop's cleanup acks for a wake that ends (done or abandoned) while the stop is under way",
    meanings: {
      tail: "O3, the defect: the cleanup acks each of the wake's linked streams at its tail as the service knows it then (a read at `now`), and sends a done for a wake the stop abandoned too; a message that arrived after the wake read its inputs is consumed unseen",
      given: 'the fix: a done acks what the wake read and gave its handler, stop or not; a wake the stop abandoned sends no done (its lease runs out and the work is woken again)',
    },
    recordedAtDefault: false,
  },
  {
    name: 'claim-concurrency',
    values: CLAIM_CONCURRENCY_MODES,
    defaultValue: 'concurrent',
    summary: 'historical B4(b) (e126eba37): whether the runner reads and claims wake events while a wake runs',
    meanings: {
      serial: "B4(b), the defect: each wake event is claimed in turn and the runner awaits the drain of its running wakes before it reads or claims the next; meanwhile it does not read its wake stream, so one long wake holds every other entity's claim back",
      concurrent: 'the fix, and this runtime as it always was: each wake event read is claimed at once and its wake dispatched without being awaited; the runner reads on',
    },
    recordedAtDefault: false,
  },
  {
    name: 'stop-gate',
    values: STOP_GATE_MODES,
    defaultValue: 'accepting-claims',
    summary: 'historical B4(c) (e126eba37): whether a claim answered once a stop began is still dispatched',
    meanings: {
      none: "B4(c), the defect: a claim answered during stop() is dispatched; a wake dispatched after the stop aborted its running wakes is not among them, and runs on",
      'accepting-claims': 'the fix, and this runtime as it always was: once a stop began no answered claim is dispatched (the claim lapses with its lease)',
    },
    recordedAtDefault: false,
  },
];

/** Reads this runtime's switch values from the host's configuration (every value was validated by the simulator). */
export function v04Config(values: Readonly<Record<string, string>>): V04Config {
  // A value that is missing or not allowed falls back to the switch's declared default: one place says what it is.
  const pick = <T extends string>(name: string, allowed: readonly T[]): T => {
    const isAllowed = (value: string | undefined): value is T => value !== undefined && (allowed as readonly string[]).includes(value);
    const value = values[name];
    if (isAllowed(value)) return value;
    const fallback = V04_SWITCHES.find((definition) => definition.name === name)?.defaultValue;
    if (!isAllowed(fallback)) throw new Error(`internal error: v0.4 switch "${name}" declares no allowed default`);
    return fallback;
  };
  return {
    wiring: pick('wiring', WIRING_MODES),
    offset: pick('offset', OFFSET_MODES),
    streams: pick('streams', STREAMS_TIERS),
    transport: pick('transport', TRANSPORTS),
    claimRetry: pick('claim-retry', CLAIM_RETRY_MODES),
    doneRetry: pick('done-retry', DONE_RETRY_MODES),
    stopDone: pick('stop-done', STOP_DONE_MODES),
    streamReconnect: pick('stream-reconnect', STREAM_RECONNECT_MODES),
    streamReset: pick('stream-reset', STREAM_RESET_MODES),
    leaseRenewal: pick('lease-renewal', LEASE_RENEWAL_MODES),
    leaseFence: pick('lease-fence', LEASE_FENCE_MODES),
    renewalTimeout: pick('renewal-timeout', RENEWAL_TIMEOUT_MODES),
    renewalRetry: pick('renewal-retry', RENEWAL_RETRY_MODES),
    handlerSignal: pick('handler-signal', HANDLER_SIGNAL_MODES),
    readWatchdog: pick('read-watchdog', READ_WATCHDOG_MODES),
    failedWake: pick('failed-wake', FAILED_WAKE_MODES),
    claimGuard: pick('claim-guard', CLAIM_GUARD_MODES),
    requestTimeout: pick('request-timeout', REQUEST_TIMEOUT_MODES),
    nextWake: pick('next-wake', NEXT_WAKE_MODES),
    stopAck: pick('stop-ack', STOP_ACK_MODES),
    wakeBatch: pick('wake-batch', WAKE_BATCH_MODES),
    claimDeferral: pick('claim-deferral', DEFERRAL_MODES),
    claimConcurrency: pick('claim-concurrency', CLAIM_CONCURRENCY_MODES),
    stopGate: pick('stop-gate', STOP_GATE_MODES),
  };
}
