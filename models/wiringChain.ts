import { and, setup } from 'xstate';
import type { WiringMode } from './modelConfig.ts';
import type { ModelEvent } from './modelEvents.ts';

/** The events the wiring chain follows (one shared-state handle within one wake). */
export type WiringChainEvent = Extract<
  ModelEvent,
  {
    type:
      | 'OBSERVE'
      | 'PRELOAD_FAILED'
      | 'HANDLE_WIRED'
      | 'WIRING_FAILED'
      | 'OBSERVE_RESOLVED'
      | 'MANIFEST_COMMITTED'
      | 'WAKE_FAILED'
      | 'WAKE_ACKED'
      | 'WAKE_ACK_FAILED'
      | 'WAKE_ABANDONED'
      | 'LEASE_RELEASED';
  }
>;

export interface WiringChainInput {
  readonly wiring: WiringMode;
  /**
   * Whether a fault can fail a request (a restart, a 5xx or 429, a lost answer, a dropped connection:
   * `world/faults/requestFailures.ts`): only then can a wake fail where nothing in the wiring failed (the manifest read
   * or commit, a read of its inputs).
   */
  readonly serverMayFail: boolean;
  /** True when an earlier wake committed the handle to the entity's manifest: it is restored and wired before the handler. */
  readonly restored: boolean;
}

type Guarded = { context: WiringChainInput; event: WiringChainEvent };
const mode = (...modes: WiringMode[]) => ({ context }: Guarded) => modes.includes(context.wiring);
/** The ack reached the server (the lease is released; its answer follows), or the ack failed. */
const wakeEnds = { LEASE_RELEASED: 'released', WAKE_ACK_FAILED: 'done' } as const;

/**
 * One shared-state handle within one wake, from restore or first `observe` to the ack. The `wiring` switch decides
 * what a failed preload leads to: `swallow` resolves `observe` unwired (the `resolvedUnwired` violation state),
 * `reject` fails the wake, `retry` tries again with a fresh DB until wired, `empty` wires an empty DB. A handle
 * restored from the manifest is wired before the handler runs and fails closed in every mode.
 */
export const wiringChainMachine = setup({
  types: { context: {} as WiringChainInput, events: {} as WiringChainEvent, input: {} as WiringChainInput },
  guards: {
    restored: ({ context }) => context.restored,
    serverMayFail: ({ context }) => context.serverMayFail,
    notRestored: ({ context }) => !context.restored,
    firstObserve: ({ event }) => event.type === 'OBSERVE' && event.created,
    laterObserve: ({ event }) => event.type === 'OBSERVE' && !event.created,
    resolvedWired: ({ event }) => event.type === 'OBSERVE_RESOLVED' && event.wired,
    resolvedUnwired: ({ event }) => event.type === 'OBSERVE_RESOLVED' && !event.wired,
    propagates: mode('swallow', 'reject'),
    swallows: mode('swallow'),
    rejects: mode('reject'),
    retries: mode('retry'),
    retriesSameDb: mode('retry-same-db'),
    treatsAsEmpty: mode('empty'),
    emptyWiring: ({ context, event }) =>
      context.wiring === 'empty' && event.type === 'HANDLE_WIRED' && event.empty && event.restored === context.restored,
    realWiring: ({ context, event }) => event.type === 'HANDLE_WIRED' && !event.empty && event.restored === context.restored,
    /** A preload failure of this wake's handle (restored from the manifest, or first observed). */
    ofThisHandle: ({ context, event }) => event.type === 'PRELOAD_FAILED' && event.restored === context.restored,
  },
  actions: { accept: () => {} },
}).createMachine({
  id: 'wiringChain',
  description: 'One shared-state handle within one wake.',
  context: ({ input }) => input,
  initial: 'start',
  states: {
    start: {
      description: 'The wake begins: the manifest decides whether the handle is restored or first observed.',
      always: [{ guard: 'restored', target: 'restoring' }, { target: 'awaitingObserve' }],
    },
    restoring: {
      description: 'Step 2: a handle from the manifest is wired directly; a failure fails the wake (fail-closed).',
      on: {
        HANDLE_WIRED: { guard: 'realWiring', target: 'wired' },
        PRELOAD_FAILED: [
          { guard: and(['ofThisHandle', 'retries']), target: 'restoring' },
          { guard: and(['ofThisHandle', 'retriesSameDb']), target: 'preloadingSameDbAgain' },
          { guard: and(['ofThisHandle', 'treatsAsEmpty']), target: 'readingAsEmpty' },
          { guard: and(['ofThisHandle', 'propagates']), target: 'failedClosed' },
        ],
        WAKE_ABANDONED: { guard: 'retries', target: 'done' },
        // The manifest read itself can fail (agents server down) before anything is wired.
        WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' },
      },
    },
    awaitingObserve: {
      description: 'No handle yet: the handler has not observed the DB in this wake.',
      on: { OBSERVE: { guard: 'firstObserve', target: 'wiring' }, WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' } },
    },
    wiring: {
      description: 'First observe: the chain step creates the DB and preloads it.',
      on: {
        HANDLE_WIRED: { guard: 'realWiring', target: 'wired' },
        PRELOAD_FAILED: [
          { guard: and(['ofThisHandle', 'swallows']), target: 'swallowing' },
          { guard: and(['ofThisHandle', 'rejects']), target: 'rejecting' },
          { guard: and(['ofThisHandle', 'retries']), target: 'wiring' },
          { guard: and(['ofThisHandle', 'retriesSameDb']), target: 'preloadingSameDbAgain' },
          { guard: and(['ofThisHandle', 'treatsAsEmpty']), target: 'readingAsEmpty' },
        ],
        WIRING_FAILED: { guard: 'retries', target: 'abandoning' },
      },
    },
    preloadingSameDbAgain: {
      description:
        'retry-same-db: preload() again on the DB whose preload failed. Its consumer already started, so the promise never settles: no event moves the wake on (a hang); only the end of its process takes it away.',
    },
    readingAsEmpty: {
      description: 'empty: the preload error is taken for an empty stream; the handle is wired to an empty DB.',
      on: { HANDLE_WIRED: { guard: 'emptyWiring', target: 'wired' } },
    },
    swallowing: {
      description: "swallow: the chain's .catch records the error (SHARED_STATE_WIRING_FAILED) and resolves.",
      on: { WIRING_FAILED: 'swallowed' },
    },
    swallowed: {
      description: 'The awaited chain resolved although nothing was wired.',
      on: { OBSERVE_RESOLVED: { guard: 'resolvedUnwired', target: 'resolvedUnwired' } },
    },
    resolvedUnwired: {
      tags: ['violation', 'unwired-resolve'],
      description: 'observe resolved with an unwired handle (defect B); the wake must still fail in the end.',
      on: { MANIFEST_COMMITTED: { actions: 'accept' }, WAKE_FAILED: 'failed' },
    },
    rejecting: {
      description: 'reject: the chain records the error and observe rejects with it.',
      on: { WIRING_FAILED: 'rejected' },
    },
    rejected: { description: 'observe rejected: the handler fails with the wiring error (fail-closed).', on: { WAKE_FAILED: 'failed' } },
    abandoning: {
      description: 'retry: a stop abandoned the retry; observe rejects and the wake is left unacked.',
      on: { WAKE_ABANDONED: 'done' },
    },
    failedClosed: { description: 'A restored handle could not be wired: the handler does not run.', on: { WAKE_FAILED: 'failed' } },
    wired: {
      description: 'The handle has its backing DB.',
      on: {
        OBSERVE: { guard: 'laterObserve', actions: 'accept' },
        OBSERVE_RESOLVED: { guard: 'resolvedWired', target: 'resolvedWired' },
        WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' },
      },
    },
    resolvedWired: {
      description: 'observe returned a wired handle; the handler runs on real data.',
      on: {
        // A handle first observed in this wake is new to the manifest: a wake that completes commits it first.
        MANIFEST_COMMITTED: { guard: 'notRestored', target: 'committed' },
        // Nothing on a wired handle fails the wake, except the agents server (the manifest commit).
        WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' },
        LEASE_RELEASED: { guard: 'restored', target: 'released' },
        WAKE_ACK_FAILED: { guard: 'restored', target: 'done' },
      },
    },
    committed: {
      description: 'The new manifest row is committed: later wakes restore the handle.',
      on: { WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' }, ...wakeEnds },
    },
    failed: { description: 'The wake failed; it is still acked as done (no retry).', on: wakeEnds },
    released: {
      description: 'The server took the ack and released the lease; the answer is on its way back, and may be lost.',
      // A lost answer (a fault that fails requests) fails the ack in the runtime although the server took it.
      on: { WAKE_ACKED: 'done', WAKE_ACK_FAILED: { guard: 'serverMayFail', target: 'done' } },
    },
    done: { type: 'final', description: 'The wake is over for the runtime: acked, or its ack failed, or a stop abandoned it.' },
  },
});
