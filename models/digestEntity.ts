import { assign, setup } from 'xstate';
import type { IdempotencyCheck } from './modelConfig.ts';
import type { ModelEvent } from './modelEvents.ts';

/** The events the digest entity model follows. */
export type DigestEntityEvent = Extract<
  ModelEvent,
  {
    type:
      | 'OCCURRENCE_DUE'
      | 'WAKE_START'
      | 'HANDLE_WIRED'
      | 'OBSERVE_RESOLVED'
      | 'CHECK'
      | 'ACTION'
      | 'RECORDED'
      | 'MANIFEST_COMMITTED'
      | 'MANIFEST_STORED'
      | 'OCCURRENCE_STORED'
      | 'WAKE_FAILED'
      | 'WAKE_ACKED'
      | 'WAKE_ACK_FAILED'
      | 'WAKE_ABANDONED'
      | 'LEASE_RELEASED'
      | 'PROCESS_EXIT';
  }
>;

/** What the model knows about the wake in progress. */
export interface WakeView {
  readonly process: string;
  readonly wakeId: string;
  /** How `observe` resolved: undefined before it did. */
  readonly wired: boolean | undefined;
  /** The handle was wired to an empty DB after a preload error (`wiring=empty`). */
  readonly empty: boolean;
  /** Occurrences the handle shows: the rows stored when it was wired (none for an empty DB). */
  readonly visible: readonly number[];
  readonly posted: number | undefined;
  /** The post of this wake was recorded in the shared DB. */
  readonly recorded: boolean;
  /** The handler checks once per wake. */
  readonly checked: boolean;
  /** New manifest rows were committed: the handler has returned. */
  readonly committed: boolean;
  /** The wake failed: its handler does nothing more. */
  readonly failed: boolean;
  /** An occurrence was due when observe resolved: the handler, which computes what is due after that, checks it. */
  readonly dueWhenResolved: boolean;
}

export interface DigestEntityContext {
  readonly idempotency: IdempotencyCheck;
  /**
   * A request of the wake can fail (a lost answer, a dropped connection, a restart): then a wake can fail after its
   * check, with its post unrecorded, or with a post that never reached the chat.
   */
  readonly requestsMayFail: boolean;
  readonly due: readonly number[];
  /** Times each occurrence was posted. */
  readonly posts: Readonly<Record<number, number>>;
  /** Occurrences whose row the shared DB holds (the stream's own record, or a handler's recorded insert). */
  readonly recorded: readonly number[];
  /** Whether the manifest lists the shared DB (then later wakes restore the handle). */
  readonly manifest: boolean;
  /**
   * The occurrence a check found not posted and whose post has not reached the chat yet. Kept across the end of a
   * wake: a post already on the wire arrives even when its process died.
   */
  readonly postIntent: number | undefined;
  readonly wake: WakeView | undefined;
}

const newestDue = (context: DigestEntityContext): number | undefined => (context.due.length > 0 ? Math.max(...context.due) : undefined);

/** The verdict the entity's idempotency check must reach, given what the handle shows. */
export function expectedVerdict(context: DigestEntityContext, occurrence: number): 'posted' | 'not-posted' | 'unknown' | 'throws' {
  const wake = context.wake;
  if (!wake || wake.wired === undefined) return 'throws';
  if (!wake.wired) {
    if (context.idempotency === 'raw-collection') return 'not-posted';
    if (context.idempotency === 'wired-gate') return 'unknown';
    return 'throws';
  }
  return wake.visible.includes(occurrence) ? 'posted' : 'not-posted';
}

type Guarded = { context: DigestEntityContext; event: DigestEntityEvent };

/** The handler's check cannot run, or throws (an unwired handle under `public-read`): the wake fails before it. */
const checkThrows = (context: DigestEntityContext): boolean => {
  const newest = newestDue(context);
  return newest !== undefined && expectedVerdict(context, newest) === 'throws';
};

/** A handler that returns normally has checked the occurrence that was due when observe resolved. */
const checkedIfDue = (context: DigestEntityContext): boolean => !context.wake || context.wake.checked || !context.wake.dueWhenResolved;

/** A post on a wired handle not yet recorded: a wired insert does not fail, so the wake cannot end here. */
const postUnrecorded = (context: DigestEntityContext): boolean =>
  context.wake?.posted !== undefined && context.wake.wired === true && !context.wake.recorded;
/** Events with a wake id must name the wake in progress; the others must come from its process. */
const inThisWake = ({ context, event }: Guarded): boolean =>
  'wakeId' in event ? context.wake?.wakeId === event.wakeId : 'process' in event && context.wake?.process === event.process;

/**
 * The catch-up digest entity: occurrences fall due; on any wake the entity checks whether the newest due occurrence
 * was posted (by the `idempotency` switch), posts it if not, then records it in the shared DB. The `safety` region
 * holds the invariant that no occurrence is posted twice.
 */
export const digestEntityMachine = setup({
  types: {
    context: {} as DigestEntityContext,
    events: {} as DigestEntityEvent,
    input: {} as { idempotency: IdempotencyCheck; requestsMayFail?: boolean },
  },
  guards: {
    inThisWake,
    wakeOfDeadProcess: ({ context, event }) => event.type === 'PROCESS_EXIT' && context.wake?.process === event.process,
    checksNewestWithExpectedVerdict: ({ context, event }) => {
      const wake = context.wake;
      if (event.type !== 'CHECK' || !inThisWake({ context, event }) || !wake || wake.checked || wake.committed || wake.failed) return false;
      const newest = newestDue(context);
      // The cron tick of the same instant may be traced just after a check that already counted it as due.
      const plausible = newest === undefined ? event.occurrence === 0 : event.occurrence === newest || event.occurrence === newest + 1;
      return plausible && expectedVerdict(context, event.occurrence) === event.verdict;
    },
    postsWhatItChecked: ({ context, event }) => event.type === 'ACTION' && context.postIntent === event.occurrence,
    postsWhatItCheckedAgain: ({ context, event }) =>
      event.type === 'ACTION' && context.postIntent === event.occurrence && (context.posts[event.occurrence] ?? 0) >= 1,
    /**
     * A wake fails only before its post, or after it on a handle whose insert throws (unwired): a wired insert does
     * not fail in this world, so a post on a wired handle is recorded before the wake can end — unless the process dies.
     */
    failsWithoutLosingAPost: ({ context, event }) =>
      inThisWake({ context, event }) &&
      (context.requestsMayFail || (context.postIntent === undefined && !postUnrecorded(context))) &&
      (checkedIfDue(context) || checkThrows(context)),
    /** The handler returned normally: nothing pending, and its post (if any) recorded — an unwired insert throws. */
    handlerDone: ({ context, event }) =>
      inThisWake({ context, event }) && context.postIntent === undefined && !(context.wake?.posted !== undefined && !context.wake.recorded) && checkedIfDue(context),
    wakeMayEnd: ({ context }) =>
      (context.requestsMayFail && context.wake?.failed === true) ||
      (context.postIntent === undefined && !postUnrecorded(context) && (context.wake?.failed === true || checkedIfDue(context))),
    recordsWhatItPosted: ({ context, event }) =>
      event.type === 'RECORDED' && inThisWake({ context, event }) && context.wake?.posted === event.occurrence && context.wake.wired !== false && !context.wake.recorded && !context.wake.failed,
  },
  actions: {
    accept: () => {},
    markDue: assign({ due: ({ context, event }) => (event.type === 'OCCURRENCE_DUE' ? [...context.due, event.occurrence] : context.due) }),
    beginWake: assign({
      wake: ({ context, event }) =>
        event.type === 'WAKE_START'
          ? {
              process: event.process,
              wakeId: event.wakeId,
              wired: undefined,
              empty: false,
              visible: [],
              posted: undefined,
              recorded: false,
              checked: false,
              committed: false,
              failed: false,
              dueWhenResolved: false,
            }
          : undefined,
    }),
    endWake: assign({ wake: () => undefined }),
    // The handle shows what the stream held when it loaded; an empty-wired handle shows nothing from before the wake.
    noteWiring: assign({
      wake: ({ context, event }) =>
        context.wake && event.type === 'HANDLE_WIRED' ? { ...context.wake, empty: event.empty, visible: event.empty ? [] : context.recorded } : context.wake,
    }),
    noteStored: assign({
      recorded: ({ context, event }) =>
        event.type === 'OCCURRENCE_STORED' && !context.recorded.includes(event.occurrence) ? [...context.recorded, event.occurrence] : context.recorded,
    }),
    noteResolve: assign({
      wake: ({ context, event }) =>
        context.wake && event.type === 'OBSERVE_RESOLVED' ? { ...context.wake, wired: event.wired, dueWhenResolved: context.due.length > 0 } : context.wake,
    }),
    noteCheck: assign({
      postIntent: ({ context, event }) => (event.type === 'CHECK' && event.verdict === 'not-posted' ? event.occurrence : context.postIntent),
      wake: ({ context }) => (context.wake ? { ...context.wake, checked: true } : context.wake),
    }),
    notePost: assign({
      postIntent: () => undefined,
      posts: ({ context, event }) => (event.type === 'ACTION' ? { ...context.posts, [event.occurrence]: (context.posts[event.occurrence] ?? 0) + 1 } : context.posts),
      wake: ({ context, event }) => (context.wake && event.type === 'ACTION' ? { ...context.wake, posted: event.occurrence } : context.wake),
    }),
    noteRecord: assign({
      recorded: ({ context, event }) =>
        event.type === 'RECORDED' && !context.recorded.includes(event.occurrence) ? [...context.recorded, event.occurrence] : context.recorded,
      wake: ({ context }) => (context.wake ? { ...context.wake, recorded: true } : context.wake),
    }),
    noteFailure: assign({ wake: ({ context }) => (context.wake ? { ...context.wake, failed: true } : context.wake) }),
    noteStoredManifest: assign({ manifest: () => true }),
    noteManifest: assign({ manifest: () => true, wake: ({ context }) => (context.wake ? { ...context.wake, committed: true } : context.wake) }),
  },
}).createMachine({
  id: 'digestEntity',
  description: 'The catch-up daily-digest entity.',
  context: ({ input }) => ({
    idempotency: input.idempotency,
    requestsMayFail: input.requestsMayFail ?? false,
    due: [],
    posts: {},
    recorded: [],
    manifest: false,
    postIntent: undefined,
    wake: undefined,
  }),
  type: 'parallel',
  on: {
    OCCURRENCE_DUE: { actions: 'markDue' },
    // The server's fact, not the committer's answer: a wake that dies before the answer still leaves the rows stored.
    MANIFEST_STORED: { actions: 'noteStoredManifest' },
    OCCURRENCE_STORED: { actions: 'noteStored' },
    PROCESS_EXIT: { actions: 'accept' },
    // The ack answer of a wake the server already released can arrive after the next wake started.
    WAKE_ACKED: { actions: 'accept' },
    WAKE_ACK_FAILED: { actions: 'accept' },
  },
  states: {
    activity: {
      description: 'Which wake, if any, is doing the entity\'s work.',
      initial: 'idle',
      states: {
        idle: {
          description: 'No wake in progress (the last one was released, abandoned, or died with its process).',
          on: {
            WAKE_START: { target: 'handling', actions: 'beginWake' },
            // An ack sent just before its process died still reaches the server, which releases the lease after the
            // wake ended here with the process.
            LEASE_RELEASED: { actions: 'accept' },
          },
        },
        handling: {
          description: 'One wake at a time: observe, check the newest due occurrence, post it if not posted, record it.',
          on: {
            HANDLE_WIRED: { guard: 'inThisWake', actions: 'noteWiring' },
            OBSERVE_RESOLVED: { guard: 'inThisWake', actions: 'noteResolve' },
            CHECK: { guard: 'checksNewestWithExpectedVerdict', actions: 'noteCheck' },
            RECORDED: { guard: 'recordsWhatItPosted', actions: 'noteRecord' },
            MANIFEST_COMMITTED: { guard: 'handlerDone', actions: 'noteManifest' },
            WAKE_FAILED: { guard: 'failsWithoutLosingAPost', actions: 'noteFailure' },
            // The server released the lease on the wake's ack: its work is over, whenever the answer (WAKE_ACKED,
            // accepted at the root) arrives.
            // A handler awaits its post, so a wake that checked "not posted" cannot be released before the post lands.
            LEASE_RELEASED: { guard: 'wakeMayEnd', target: 'idle', actions: 'endWake' },
            WAKE_ACK_FAILED: { guard: 'inThisWake', target: 'idle', actions: 'endWake' },
            WAKE_ABANDONED: { guard: 'inThisWake', target: 'idle', actions: 'endWake' },
            PROCESS_EXIT: { guard: 'wakeOfDeadProcess', target: 'idle', actions: 'endWake' },
          },
        },
      },
    },
    safety: {
      description: 'The no-duplicate invariant: each occurrence posted at most once.',
      initial: 'noDuplicate',
      states: {
        noDuplicate: {
          description: 'Every occurrence posted at most once so far.',
          on: {
            ACTION: [
              { guard: 'postsWhatItCheckedAgain', target: 'duplicate', actions: 'notePost' },
              { guard: 'postsWhatItChecked', actions: 'notePost' },
            ],
          },
        },
        duplicate: {
          tags: ['violation', 'duplicate-action'],
          description: 'An occurrence was posted a second time.',
          on: { ACTION: { guard: 'postsWhatItChecked', actions: 'notePost' } },
        },
      },
    },
  },
});
