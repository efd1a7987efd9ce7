import { assign, setup } from 'xstate';
import type { CatchUpMode, IdempotencyCheck } from '../modelConfig.ts';
import type { SystemEvent } from './systemEvents.ts';

/** The events the digest entity model follows. */
export type DigestEntityEvent = Extract<
  SystemEvent,
  {
    type:
      | 'OCCURRENCE_DUE'
      | 'SHARED_READ'
      | 'OCCURRENCE_STORED'
      | 'HANDLER_START'
      | 'OBSERVE_RESOLVED'
      | 'CHECK'
      | 'ACTION'
      | 'ACTION_DEDUPLICATED'
      | 'RECORDED'
      | 'HANDLER_END'
      | 'PROCESS_EXIT';
  }
>;

/** What the model knows about the handler invocation in progress, from the entity's own probes. */
export interface HandlerView {
  readonly process: string;
  readonly wakeId: string;
  /** How `observe` resolved: undefined before it did (or when it rejected). */
  readonly wired: boolean | undefined;
  /** The occurrence this handler posted, once the chat took the post. */
  readonly posted: number | undefined;
  /** The last post of this handler was recorded in the shared DB. */
  readonly recorded: boolean;
  /**
   * The checks it made: at most one (`catch-up=newest`), or one per due occurrence, oldest first (`every-due`), so the
   * next one checks occurrence `checks`.
   */
  readonly checks: number;
  /** A check said to do nothing this wake (`wired-gate` on an unwired handle): it checks no more. */
  readonly gaveUp: boolean;
  /**
   * The newest occurrence due when observe resolved (undefined: none was): the handler, which computes what is due
   * after that, checks it (and, under `every-due`, every one before it).
   */
  readonly newestDueWhenResolved: number | undefined;
}

/** A post the entity decided on and the chat service has not taken yet. */
export interface PostIntent {
  readonly occurrence: number;
  /** The process whose handler decided it: a post already on the wire arrives even when that process died. */
  readonly process: string;
}

export interface DigestEntityInput {
  readonly idempotency: IdempotencyCheck;
  /** Which due occurrences a handler checks: the newest (semantics.md's catch-up entity), or every one, oldest first. */
  readonly catchUp: CatchUpMode;
  /** The agents server may fail a call (the `server-restart` fault): only then can a wired insert fail. */
  readonly serverMayFail: boolean;
}

export interface DigestEntityContext extends DigestEntityInput {
  readonly due: readonly number[];
  /**
   * Times each occurrence was posted, as the chat service saw it, counted up to 2: the model tells none, once and more
   * than once apart, and a count that saturates keeps two wakes that post in turn from making states without end.
   */
  readonly posts: Readonly<Record<number, number>>;
  /** Occurrences whose row the shared stream stored. */
  readonly stored: readonly number[];
  /**
   * Per process, the rows its handles show: what the shared stream held at the process's last read of it that the
   * service served (none after a read that failed: a fresh DB then holds nothing, and an empty wiring shows nothing).
   */
  readonly visible: Readonly<Record<string, readonly number[]>>;
  readonly postIntent: PostIntent | undefined;
  readonly handler: HandlerView | undefined;
  /** Occurrences posted more than once, in the order the second post happened. */
  readonly duplicates: readonly number[];
}

const newestDue = (context: DigestEntityContext): number | undefined => (context.due.length > 0 ? Math.max(...context.due) : undefined);

/** The verdict the entity's idempotency check must reach, given what its handle shows. */
export function expectedVerdict(context: DigestEntityContext, occurrence: number): 'posted' | 'not-posted' | 'unknown' | 'throws' {
  const handler = context.handler;
  if (!handler || handler.wired === undefined) return 'throws';
  if (!handler.wired) {
    if (context.idempotency === 'raw-collection') return 'not-posted';
    if (context.idempotency === 'wired-gate') return 'unknown';
    return 'throws';
  }
  return (context.visible[handler.process] ?? []).includes(occurrence) ? 'posted' : 'not-posted';
}

/** Occurrences that fell due and were never posted: judged at the end of a run, after its quiet period. */
export function missedOccurrences(context: DigestEntityContext): number[] {
  return context.due.filter((occurrence) => (context.posts[occurrence] ?? 0) === 0);
}

type Guarded = { context: DigestEntityContext; event: DigestEntityEvent };

/** Probes must come from the process running the handler (and name its wake, where they carry one). */
const inThisHandler = ({ context, event }: Guarded): boolean =>
  context.handler !== undefined && 'process' in event && event.process === context.handler.process && (!('wakeId' in event) || event.wakeId === context.handler.wakeId);

/** This handler decided on a post the chat has not taken yet: it awaits it, so it cannot end. */
const awaitsItsPost = (context: DigestEntityContext): boolean => context.postIntent !== undefined && context.postIntent.process === context.handler?.process;

/** The handler's check cannot run, or throws (an unwired handle under `public-read`). */
const checkThrows = (context: DigestEntityContext): boolean => {
  const newest = newestDue(context);
  return newest !== undefined && expectedVerdict(context, newest) === 'throws';
};

/**
 * A handler past observe has checked what was due when observe resolved: the newest occurrence (`newest`), or every
 * one up to it (`every-due`), unless a check said to do nothing this wake.
 */
const checkedIfDue = (context: DigestEntityContext, handler: HandlerView): boolean => {
  if (handler.newestDueWhenResolved === undefined || handler.gaveUp) return true;
  return context.catchUp === 'every-due' ? handler.checks > handler.newestDueWhenResolved : handler.checks > 0;
};

/** The handler's post is recorded, or it made none: it may check the next occurrence. */
const doneWithItsPost = (context: DigestEntityContext, handler: HandlerView): boolean => !awaitsItsPost(context) && (handler.posted === undefined || handler.recorded);

/** A second post of an occurrence enters the violation state (again, for each occurrence); any other post is counted. */
const POSTS = {
  ACTION: [
    { guard: 'postsAgainForTheFirstTime', target: 'duplicate', reenter: true, actions: ['notePost', 'noteDuplicate'] },
    { guard: 'postsWhatItChecked', actions: 'notePost' },
  ],
} as const;

/**
 * The catch-up digest entity, judged from the outside: occurrences fall due (cron ticks); each handler invocation
 * (the scenario's own spans of its code) observes the shared DB, checks whether the newest due occurrence was posted
 * (by the `idempotency` switch, on what the handle shows), posts it if not, then records it. One handler runs at a
 * time. The `safety` region holds the invariant that no occurrence is posted twice; {@link missedOccurrences} judges
 * the liveness obligation at the end of a run.
 */
export const digestEntityMachine = setup({
  types: { context: {} as DigestEntityContext, events: {} as DigestEntityEvent, input: {} as DigestEntityInput },
  guards: {
    inThisHandler,
    handlerOfDeadProcess: ({ context, event }) => event.type === 'PROCESS_EXIT' && context.handler?.process === event.process,
    resolvesOnce: (args) => args.event.type === 'OBSERVE_RESOLVED' && inThisHandler(args) && args.context.handler?.wired === undefined,
    checksWhatIsDueWithExpectedVerdict: (args) => {
      const { context, event } = args;
      const handler = context.handler;
      if (event.type !== 'CHECK' || !inThisHandler(args) || !handler || handler.gaveUp) return false;
      const newest = newestDue(context);
      // The cron tick of the same instant may be traced just after a check that already counted it as due.
      const dueByNow = (occurrence: number): boolean => (newest === undefined ? occurrence === 0 : occurrence <= newest + 1);
      const plausible =
        context.catchUp === 'every-due'
          ? event.occurrence === handler.checks && dueByNow(event.occurrence) && doneWithItsPost(context, handler)
          : handler.checks === 0 && (newest === undefined ? event.occurrence === 0 : event.occurrence === newest || event.occurrence === newest + 1);
      return plausible && expectedVerdict(context, event.occurrence) === event.verdict;
    },
    postsWhatItChecked: ({ context, event }) => event.type !== 'OCCURRENCE_DUE' && 'occurrence' in event && context.postIntent?.occurrence === event.occurrence,
    postsAgainForTheFirstTime: ({ context, event }) =>
      event.type === 'ACTION' && context.postIntent?.occurrence === event.occurrence && (context.posts[event.occurrence] ?? 0) === 1,
    recordsWhatItPosted: (args) => {
      const { context, event } = args;
      const handler = context.handler;
      return (
        event.type === 'RECORDED' &&
        inThisHandler(args) &&
        handler?.posted === event.occurrence &&
        handler.wired === true &&
        !handler.recorded &&
        context.stored.includes(event.occurrence)
      );
    },
    /** Returned: it observed, checked what was due, and recorded what it posted (an unwired insert throws). */
    returnsNormally: (args) => {
      const handler = args.context.handler;
      if (args.event.type !== 'HANDLER_END' || args.event.outcome !== 'returned' || !inThisHandler(args) || !handler) return false;
      return handler.wired !== undefined && doneWithItsPost(args.context, handler) && checkedIfDue(args.context, handler);
    },
    /**
     * Threw: before observe resolved, at a check that throws, or at the insert after its post — which fails only on
     * an unwired handle, or when the agents server can fail the write. Never between observe and the check otherwise.
     */
    throws: (args) => {
      const { context } = args;
      const handler = context.handler;
      if (args.event.type !== 'HANDLER_END' || args.event.outcome !== 'threw' || !inThisHandler(args) || !handler) return false;
      // A post that never reached the chat (its connection dropped) fails the handler only where requests can fail.
      if (awaitsItsPost(context) && !context.serverMayFail) return false;
      if (handler.posted !== undefined && handler.wired === true && !handler.recorded && !context.serverMayFail) return false;
      // Under `every-due` a post or an insert may fail before the newest occurrence is checked.
      const failedAtItsPost = context.catchUp === 'every-due' && !doneWithItsPost(context, handler);
      return handler.wired === undefined || checkedIfDue(context, handler) || checkThrows(context) || failedAtItsPost;
    },
  },
  actions: {
    accept: () => {},
    markDue: assign({ due: ({ context, event }) => (event.type === 'OCCURRENCE_DUE' ? [...context.due, event.occurrence] : context.due) }),
    noteStored: assign({
      stored: ({ context, event }) =>
        event.type === 'OCCURRENCE_STORED' && !context.stored.includes(event.occurrence) ? [...context.stored, event.occurrence] : context.stored,
    }),
    noteRead: assign({
      visible: ({ context, event }) => (event.type === 'SHARED_READ' ? { ...context.visible, [event.process]: event.ok ? context.stored : [] } : context.visible),
    }),
    beginHandler: assign({
      handler: ({ context, event }) =>
        event.type === 'HANDLER_START'
          ? { process: event.process, wakeId: event.wakeId, wired: undefined, posted: undefined, recorded: false, checks: 0, gaveUp: false, newestDueWhenResolved: undefined }
          : context.handler,
    }),
    endHandler: assign({ handler: () => undefined }),
    /** A handler that threw before its post reached the chat will not post: a later post needs a check of its own. */
    dropPostIntent: assign({ postIntent: ({ context }) => (awaitsItsPost(context) ? undefined : context.postIntent) }),
    noteResolve: assign({
      handler: ({ context, event }) =>
        context.handler && event.type === 'OBSERVE_RESOLVED' ? { ...context.handler, wired: event.wired, newestDueWhenResolved: newestDue(context) } : context.handler,
    }),
    noteCheck: assign({
      postIntent: ({ context, event }) =>
        event.type === 'CHECK' && event.verdict === 'not-posted' ? { occurrence: event.occurrence, process: event.process } : context.postIntent,
      // Counted no further than a handler can check (in `overlapping` checks go on unjudged): a bounded state space.
      handler: ({ context, event }) =>
        context.handler
          ? {
              ...context.handler,
              checks: Math.min(context.handler.checks + 1, context.catchUp === 'every-due' ? (newestDue(context) ?? 0) + 2 : 1),
              // Only `every-due` checks again after a check: for `newest` the first check is the last either way.
              gaveUp: context.catchUp === 'every-due' && event.type === 'CHECK' && event.verdict === 'unknown',
            }
          : context.handler,
    }),
    /** The chat took the post (or answered it with an earlier one): the handler that decided it goes on. */
    notePost: assign({
      posts: ({ context, event }) => (event.type === 'ACTION' ? { ...context.posts, [event.occurrence]: Math.min((context.posts[event.occurrence] ?? 0) + 1, 2) } : context.posts),
      handler: ({ context, event }) =>
        context.handler && 'occurrence' in event && context.postIntent?.process === context.handler.process
          ? { ...context.handler, posted: event.occurrence, recorded: false }
          : context.handler,
      postIntent: () => undefined,
    }),
    noteDuplicate: assign({ duplicates: ({ context, event }) => (event.type === 'ACTION' ? [...context.duplicates, event.occurrence] : context.duplicates) }),
    noteRecord: assign({ handler: ({ context }) => (context.handler ? { ...context.handler, recorded: true } : context.handler) }),
  },
}).createMachine({
  id: 'digestEntity',
  description: 'The catch-up daily-digest entity, as the world and its own code saw it.',
  context: ({ input }) => ({ ...input, due: [], posts: {}, stored: [], visible: {}, postIntent: undefined, handler: undefined, duplicates: [] }),
  type: 'parallel',
  on: {
    OCCURRENCE_DUE: { actions: 'markDue' },
    // The server's fact, not the inserter's answer: a handler that dies before the answer still leaves the row stored.
    OCCURRENCE_STORED: { actions: 'noteStored' },
    SHARED_READ: { actions: 'noteRead' },
    PROCESS_EXIT: { actions: 'accept' },
    ACTION_DEDUPLICATED: { guard: 'postsWhatItChecked', actions: 'notePost' },
  },
  states: {
    activity: {
      description: "Whether one of the entity's handlers is running.",
      initial: 'idle',
      states: {
        idle: {
          description: 'No handler running (the last one ended, or died with its process).',
          on: { HANDLER_START: { target: 'handling', actions: 'beginHandler' } },
        },
        handling: {
          description:
            'One handler at a time: observe, check the newest due occurrence (under catch-up=every-due, each due one, oldest first), post it if not posted, record it.',
          on: {
            OBSERVE_RESOLVED: { guard: 'resolvesOnce', actions: 'noteResolve' },
            CHECK: { guard: 'checksWhatIsDueWithExpectedVerdict', actions: 'noteCheck' },
            RECORDED: { guard: 'recordsWhatItPosted', actions: 'noteRecord' },
            HANDLER_END: [
              { guard: 'returnsNormally', target: 'idle', actions: 'endHandler' },
              { guard: 'throws', target: 'idle', actions: ['dropPostIntent', 'endHandler'] },
            ],
            PROCESS_EXIT: { guard: 'handlerOfDeadProcess', target: 'idle', actions: 'endHandler' },
            // A handler that outlived its lease, and the wake granted beside it (the concurrent-wake oracle reports it).
            HANDLER_START: { target: 'overlapping' },
          },
        },
        overlapping: {
          tags: ['violation', 'concurrent-wake'],
          description:
            'Two handlers ran at once: a wake was granted while an earlier handler still ran (its lease ended under it). ' +
            'The interleaving of two handlers is not modelled: the model stops following handler steps but keeps each ' +
            "check's post intent, so that posts stay judged by the no-duplicate invariant.",
          on: { OBSERVE_RESOLVED: { actions: 'accept' }, CHECK: { actions: 'noteCheck' }, RECORDED: { actions: 'accept' }, HANDLER_END: { actions: 'accept' }, HANDLER_START: { actions: 'accept' } },
        },
      },
    },
    safety: {
      description: 'The no-duplicate invariant: each occurrence posted at most once.',
      initial: 'noDuplicate',
      states: {
        noDuplicate: { description: 'Every occurrence posted at most once so far.', on: POSTS },
        duplicate: {
          tags: ['violation', 'duplicate-action'],
          description: 'An occurrence was posted a second time; entered again for each occurrence posted twice.',
          on: POSTS,
        },
      },
    },
  },
});
