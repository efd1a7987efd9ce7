import { and, assign, setup } from 'xstate';
import type { WiringMode } from '../modelConfig.ts';
import type { ModelEvent } from '../modelEvents.ts';

/** The events the wiring chain follows (one shared-state handle within one wake). */
export type WiringChainEvent = Extract<
  ModelEvent,
  {
    type:
      | 'OBSERVE'
      | 'PRELOAD_FAILED'
      | 'HANDLE_WIRED'
      | 'WIRING_FAILED'
      | 'HANDLER_START'
      | 'OBSERVE_RESOLVED'
      | 'HANDLER_END'
      | 'MANIFEST_STORED'
      | 'MANIFEST_COMMITTED'
      | 'WAKE_FAILED'
      | 'WAKE_ACKED'
      | 'WAKE_ACK_FAILED'
      | 'WAKE_ABANDONED'
      | 'LEASE_RELEASED'
      | 'CLAIM_LOST';
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
  /**
   * The runtime abandons a wake whose claim it lost (a renewal refused under `lease-renewal=renew`, or its own
   * deadline under `lease-fence=deadline`): `observe` then throws once the handle is wired, and the wake is left
   * unacked, as a stop leaves it.
   */
  readonly leaseMayBeLost?: boolean;
  /**
   * The runtime gives a wake's claim up at its own deadline (`lease-fence=deadline`): before it abandons the wake it
   * sends a done that acks nothing, which releases the lease if the service still held it.
   */
  readonly leaseFence?: boolean;
  /**
   * The runtime tells the handler of a lost claim (`handler-signal=lease`): a handler that ends on it throws after its
   * `observe` resolved, and the wake is abandoned (after the done of `lease-fence`, if the deadline took the claim).
   */
  readonly handlerSignal?: boolean;
}

export interface WiringChainContext extends WiringChainInput {
  /** The entity's handler in this wake, as the scenario's own spans show it. */
  readonly handler: 'not-started' | 'running' | 'returned' | 'threw';
  /** The agents server stored this wake's new manifest rows: only then may the runtime say it committed them. */
  readonly manifestStored: boolean;
  /** The runtime said this wake lost its claim (`lease-lost`). */
  readonly claimLost: boolean;
}

type Guarded = { context: WiringChainContext; event: WiringChainEvent };
const mode = (...modes: WiringMode[]) => ({ context }: Guarded) => modes.includes(context.wiring);

/**
 * Once the handler's span is over (or it never started): processWake commits, fails, acks or abandons only after
 * the handler, never while it runs.
 */
const afterHandler = ({ context }: Guarded): boolean => context.handler !== 'running';

/**
 * `lease-fence=deadline`: a wake whose claim the runtime gave up at its deadline sends a done that acks nothing before
 * it is abandoned (after the handler, which the lost claim ended). It reached the server, or failed.
 */
const givesUpAtDeadline = {
  LEASE_RELEASED: { guard: and(['fencesLease', 'afterHandler']), target: 'releasedAtDeadline' },
  WAKE_ACK_FAILED: { guard: and(['fencesLease', 'afterHandler']), target: 'givenUp' },
} as const;

/** The ack reached the server (the lease is released; its answer follows), or the ack failed: after the handler. */
const wakeEnds = {
  LEASE_RELEASED: { guard: 'afterHandler', target: 'released' },
  WAKE_ACK_FAILED: { guard: 'afterHandler', target: 'done' },
} as const;

/**
 * One shared-state handle within one wake, from restore or first `observe` to the ack, with the span of the entity's
 * handler (the scenario's probes) placed in it as processWake runs it. The `wiring` switch decides what a failed
 * preload leads to: `swallow` resolves `observe` unwired (the `resolvedUnwired` violation state), `reject` fails the
 * wake, `retry` tries again with a fresh DB until wired, `empty` wires an empty DB. A handle restored from the
 * manifest is wired before the handler runs and fails closed in every mode.
 */
export const wiringChainMachine = setup({
  types: { context: {} as WiringChainContext, events: {} as WiringChainEvent, input: {} as WiringChainInput },
  guards: {
    afterHandler,
    restored: ({ context }) => context.restored,
    serverMayFail: ({ context }) => context.serverMayFail,
    leaseMayBeLost: ({ context }) => context.leaseMayBeLost === true,
    fencesLease: ({ context }) => context.leaseFence === true,
    /** `handler-signal`: the runtime said the wake lost its claim, and told the handler. */
    toldOfLostClaim: ({ context }) => context.handlerSignal === true && context.claimLost,
    handlerEndedThrowing: ({ context }) => context.handler === 'threw',
    notRestored: ({ context }) => !context.restored,
    firstObserve: ({ event }) => event.type === 'OBSERVE' && event.created,
    laterObserve: ({ event }) => event.type === 'OBSERVE' && !event.created,
    resolvedWired: ({ event }) => event.type === 'OBSERVE_RESOLVED' && event.wired,
    resolvedUnwired: ({ event }) => event.type === 'OBSERVE_RESOLVED' && !event.wired,
    handlerStarts: ({ context, event }) => event.type === 'HANDLER_START' && context.handler === 'not-started',
    handlerReturns: ({ context, event }) => event.type === 'HANDLER_END' && event.outcome === 'returned' && context.handler === 'running',
    handlerThrows: ({ context, event }) => event.type === 'HANDLER_END' && event.outcome === 'threw' && context.handler === 'running',
    handlerReturned: ({ context }) => context.handler === 'returned',
    manifestStored: ({ context }) => context.manifestStored,
    /** The handler threw, or the agents server failed a call before or after it (never while it runs). */
    failsAfterHandler: ({ context }) => context.handler === 'threw' || (context.handler !== 'running' && context.serverMayFail),
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
  actions: {
    accept: () => {},
    handlerRunning: assign({ handler: () => 'running' as const }),
    handlerReturned: assign({ handler: () => 'returned' as const }),
    handlerThrew: assign({ handler: () => 'threw' as const }),
    noteManifestStored: assign({ manifestStored: () => true }),
    noteClaimLost: assign({ claimLost: () => true }),
  },
}).createMachine({
  id: 'wiringChain',
  description: 'One shared-state handle within one wake.',
  context: ({ input }) => ({ ...input, handler: 'not-started', manifestStored: false, claimLost: false }),
  initial: 'start',
  on: {
    // The server's fact; the runtime's `manifest-committed` must follow it, not stand in for it.
    MANIFEST_STORED: { actions: 'noteManifestStored' },
    // The runtime's word that the wake lost its claim, in any state: what it may do next depends on it.
    CLAIM_LOST: { actions: 'noteClaimLost' },
  },
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
        ...givesUpAtDeadline,
        // The manifest read itself can fail (agents server down) before anything is wired.
        WAKE_FAILED: { guard: 'serverMayFail', target: 'failed' },
      },
    },
    awaitingObserve: {
      description: 'No handle yet: the handler has not observed the DB in this wake (it may have started).',
      on: {
        HANDLER_START: { guard: 'handlerStarts', actions: 'handlerRunning' },
        OBSERVE: { guard: 'firstObserve', target: 'wiring' },
        // The manifest read or an input read can fail (agents server down) before the handler runs.
        WAKE_FAILED: { guard: and(['serverMayFail', 'afterHandler']), target: 'failed' },
      },
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
        // A lost lease abandons the retry: observe rejects, and the handler may end before the chain reports it.
        HANDLER_END: { guard: and(['leaseMayBeLost', 'handlerThrows']), actions: 'handlerThrew' },
        WAKE_ABANDONED: { guard: and(['leaseMayBeLost', 'afterHandler']), target: 'done' },
        ...givesUpAtDeadline,
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
      on: {
        HANDLER_END: [
          { guard: 'handlerReturns', actions: 'handlerReturned' },
          { guard: 'handlerThrows', actions: 'handlerThrew' },
        ],
        MANIFEST_COMMITTED: { guard: and(['handlerReturned', 'manifestStored']), actions: 'accept' },
        WAKE_FAILED: { guard: 'afterHandler', target: 'failed' },
      },
    },
    rejecting: {
      description: 'reject: the chain records the error and observe rejects with it.',
      on: { WIRING_FAILED: 'rejected' },
    },
    rejected: {
      description: 'observe rejected: the handler fails with the wiring error (fail-closed).',
      on: {
        HANDLER_END: { guard: 'handlerThrows', actions: 'handlerThrew' },
        WAKE_FAILED: { guard: 'afterHandler', target: 'failed' },
      },
    },
    abandoning: {
      description: 'retry: a stop abandoned the retry; observe rejects, the handler with it, and the wake is left unacked.',
      on: {
        // A preload already under way when the retry was abandoned may still end either way: nothing waits for it.
        PRELOAD_FAILED: { guard: 'ofThisHandle', actions: 'accept' },
        HANDLE_WIRED: { actions: 'accept' },
        HANDLER_END: { guard: 'handlerThrows', actions: 'handlerThrew' },
        WAKE_ABANDONED: { guard: 'afterHandler', target: 'done' },
        ...givesUpAtDeadline,
      },
    },
    failedClosed: { description: 'A restored handle could not be wired: the handler does not run.', on: { WAKE_FAILED: 'failed' } },
    wired: {
      description: 'The handle has its backing DB (a restored one before the handler starts).',
      on: {
        HANDLER_START: { guard: and(['restored', 'handlerStarts']), actions: 'handlerRunning' },
        OBSERVE: { guard: 'laterObserve', actions: 'accept' },
        OBSERVE_RESOLVED: { guard: 'resolvedWired', target: 'resolvedWired' },
        WAKE_FAILED: { guard: and(['serverMayFail', 'afterHandler']), target: 'failed' },
        // The lease was lost while the handle was being wired: observe throws instead of resolving, the wake is abandoned.
        HANDLER_END: { guard: and(['leaseMayBeLost', 'handlerThrows']), actions: 'handlerThrew' },
        WAKE_ABANDONED: { guard: and(['leaseMayBeLost', 'afterHandler']), target: 'done' },
        ...givesUpAtDeadline,
      },
    },
    resolvedWired: {
      description: 'observe returned a wired handle; the handler runs on real data.',
      on: {
        HANDLER_END: [
          { guard: 'handlerReturns', actions: 'handlerReturned' },
          { guard: 'handlerThrows', actions: 'handlerThrew' },
        ],
        // A handle first observed in this wake is new to the manifest: a wake whose handler returned commits it first.
        MANIFEST_COMMITTED: { guard: and(['notRestored', 'handlerReturned', 'manifestStored']), target: 'committed' },
        // Nothing on a wired handle fails the wake but the handler itself, or the agents server (the manifest commit).
        WAKE_FAILED: { guard: and(['failsAfterHandler', 'afterHandler']), target: 'failed' },
        LEASE_RELEASED: [
          { guard: and(['restored', 'handlerReturned']), target: 'released' },
          // handler-signal: the handler ended on the lost claim; the deadline's done releases the lease.
          { guard: and(['toldOfLostClaim', 'fencesLease', 'handlerEndedThrowing']), target: 'releasedAtDeadline' },
        ],
        WAKE_ACK_FAILED: [
          { guard: and(['restored', 'handlerReturned']), target: 'done' },
          { guard: and(['toldOfLostClaim', 'fencesLease', 'handlerEndedThrowing']), target: 'givenUp' },
        ],
        WAKE_ABANDONED: { guard: and(['toldOfLostClaim', 'handlerEndedThrowing']), target: 'done' },
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
    releasedAtDeadline: {
      description:
        'lease-fence: the wake gave its claim up at its deadline, and its done, acking nothing, released the lease; the answer is on its way back, and may be lost.',
      on: { WAKE_ACKED: 'givenUp', WAKE_ACK_FAILED: { guard: 'serverMayFail', target: 'givenUp' } },
    },
    givenUp: {
      description: 'lease-fence: the done of a wake given up at its deadline was answered, or failed; the wake is abandoned, its inputs left to the next wake.',
      on: { WAKE_ABANDONED: 'done' },
    },
    done: { type: 'final', description: 'The wake is over for the runtime: acked, or its ack failed, or a stop abandoned it.' },
  },
});
