import { db, mkdb, type EntityHandler, type SharedStateHandle, type WakeInput } from '../../protocol/entity/EntityHandler.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { type CronSchedule, occurrenceDueAtMs } from '../../world/agents-server/CronScheduler.ts';
import { childCompletions, childDoneAction } from './childEntity.ts';

/** How the digest entity decides whether an occurrence was already posted (the scenario's `idempotency` switch). */
export const IDEMPOTENCY_CHECKS = ['raw-collection', 'public-read', 'wired-gate'] as const;
export type IdempotencyCheck = (typeof IDEMPOTENCY_CHECKS)[number];

/**
 * Which due occurrences the digest entity posts on a wake (the scenario's `catch-up` switch): `newest`, semantics.md's
 * catch-up entity, posts only the newest due one, so a day that every wake missed until the next fell due is never
 * posted (docs/history.md F1); `every-due` checks every due occurrence, oldest first, and posts each one not posted.
 */
export const CATCH_UP_MODES = ['newest', 'every-due'] as const;
export type CatchUpMode = (typeof CATCH_UP_MODES)[number];

/**
 * How the digest entity gets its shared DB (the scenario's `shared-db` switch): `connect` observes `db(id)` of a DB the
 * scenario created beforehand; `create` observes `mkdb(id)`, so its first wake creates the DB on a fresh tenant.
 */
export const SHARED_DB_MODES = ['connect', 'create'] as const;
export type SharedDbMode = (typeof SHARED_DB_MODES)[number];

/** What the entity does to the outside world, and how it reports what it saw. */
export interface DigestEntityIo {
  /** Posts to the chat channel: the external side effect; `action` names it (`digest:0`, `reply:3`). */
  post(action: string, text: string): Promise<void>;
  /** Records what the entity's own code saw (scenario observations, not the runtime's). */
  probe(kind: string, detail: { readonly [key: string]: TraceValue }): void;
  /** Virtual milliseconds since the start of the run, from the process's clock. */
  nowMs(): number;
}

export interface DigestEntityOptions {
  readonly entity: string;
  /** The entity's inbox, by its name under the Durable Streams root: the stream its messages arrive on. */
  readonly inbox: string;
  /** The shared-state DB where posted occurrences are recorded. */
  readonly sharedId: string;
  /**
   * The shared-state DB where answered messages are recorded (`--dbs-per-wake 2`), observed after {@link sharedId} (in
   * the same mode) and checked, with the same idempotency check, before each reply; absent, replies are recorded nowhere.
   */
  readonly replyLogId?: string;
  readonly schedule: CronSchedule;
  readonly idempotency: IdempotencyCheck;
  /** Which due occurrences a wake posts (`newest`, the report's entity, when absent). */
  readonly catchUp?: CatchUpMode;
  /** `db(id)` (`connect`, when absent) or `mkdb(id)` (`create`), for each shared DB the entity observes. */
  readonly sharedDb?: SharedDbMode;
  /**
   * Whether it spawned children (daily-digest `--children`): it records each child run that finished, as a
   * `runFinished` row among its inputs says, with a post `child-done:<child>:<run>`.
   */
  readonly parentOfChildren?: boolean;
}

/** The newest occurrence due at `nowMs`, or undefined before the first one. */
export function newestDueOccurrence(schedule: CronSchedule, nowMs: number): number | undefined {
  if (nowMs < schedule.firstDueAtMs) return undefined;
  return Math.min(schedule.count - 1, Math.floor((nowMs - schedule.firstDueAtMs) / schedule.periodMs));
}

/** `posted`, `not-posted`, or `unknown` (the wired gate's "do nothing this wake"). */
type PostedVerdict = 'posted' | 'not-posted' | 'unknown';

function checkPosted(handle: SharedStateHandle, key: string, check: IdempotencyCheck): PostedVerdict {
  switch (check) {
    case 'raw-collection': {
      // open-factory#52 as written: an unwired handle reads as "nothing posted".
      const collection = handle.__electricCollection;
      if (!collection) return 'not-posted';
      return collection.has(key) ? 'posted' : 'not-posted';
    }
    case 'public-read':
      // Throws while unwired in connect mode, which fails the wake before anything is posted.
      return handle.toArray().some((row) => row.key === key) ? 'posted' : 'not-posted';
    case 'wired-gate': {
      const collection = handle.__electricCollection;
      if (!collection) return 'unknown';
      return collection.has(key) ? 'posted' : 'not-posted';
    }
  }
}

/** The key of an occurrence's row in the shared DB, and the chat action that posts it. */
export const occurrenceKey = (occurrence: number): string => `occurrence-${occurrence}`;
export const digestAction = (occurrence: number): string => `digest:${occurrence}`;
/** The chat action that answers inbox message `index`. */
export const replyAction = (index: number): string => `reply:${index}`;
/** The key of a reply's row in the reply log. */
export const replyKey = (index: number): string => `reply-${index}`;

/** A message of the workload, as the inbox stores it. */
export interface InboxMessage {
  readonly type: 'message';
  readonly index: number;
}

/** The inbox messages among a wake's inputs, in stream order. */
export function inboxMessages(inputs: readonly WakeInput[], inbox: string): InboxMessage[] {
  return inputs.flatMap((input) => {
    const value = input.value as { readonly type?: unknown; readonly index?: unknown } | null;
    return input.stream === inbox && value?.type === 'message' && typeof value.index === 'number' ? [{ type: 'message', index: value.index }] : [];
  });
}

/**
 * The catch-up entity of the bug report, which also consumes its inbox. On any wake: if the newest due occurrence
 * has not been posted, post it, then record it in the shared DB (the record of success is written after the side
 * effect; with `catchUp: 'every-due'`, the same for every due occurrence, oldest first, until a check says to do
 * nothing this wake); then answer each inbox message the wake gave it with a reply post (`reply:<index>`). Without a reply log it
 * records replies nowhere: the runtime's ack is what marks a message consumed (docs/modelling-choices.md). With one
 * (`replyLogId`), observed second, it answers a message only when its check finds no row for it, and records the reply
 * after posting, as it does digests. When it spawned children, it posts `child-done:<child>:<run>` for each
 * `runFinished` row the wake gave it. It probes what it saw: each handle `observe` gave it (wired or not), its checks'
 * verdicts, the rows it recorded.
 */
export function digestHandler(options: DigestEntityOptions, io: DigestEntityIo): EntityHandler {
  const { entity, inbox, sharedId, replyLogId, schedule, idempotency, parentOfChildren } = options;
  const sourceOf = (id: string) => (options.sharedDb === 'create' ? mkdb(id) : db(id));
  /** Checks `occurrence` and posts it if not posted; false when the check says to do nothing this wake. */
  const postIfNotPosted = async (handle: SharedStateHandle, occurrence: number): Promise<boolean> => {
    const key = occurrenceKey(occurrence);
    const verdict = checkPosted(handle, key, idempotency);
    io.probe('idempotency-check', { entity, occurrence, verdict });
    if (verdict === 'unknown') return false;
    if (verdict === 'posted') return true;
    await io.post(digestAction(occurrence), `digest of day ${occurrence + 1}`);
    await handle.insert({ key, value: { occurrence, dueAtMs: occurrenceDueAtMs(schedule, occurrence) } });
    io.probe('recorded', { entity, occurrence });
    return true;
  };
  const catchUp = async (handle: SharedStateHandle): Promise<void> => {
    const newest = newestDueOccurrence(schedule, io.nowMs());
    if (newest === undefined) return;
    if (options.catchUp !== 'every-due') {
      await postIfNotPosted(handle, newest);
      return;
    }
    for (let occurrence = 0; occurrence <= newest; occurrence += 1) if (!(await postIfNotPosted(handle, occurrence))) return;
  };
  const reply = async (message: InboxMessage, replies: SharedStateHandle | undefined): Promise<void> => {
    if (replies) {
      const verdict = checkPosted(replies, replyKey(message.index), idempotency);
      io.probe('reply-check', { entity, message: message.index, verdict });
      if (verdict !== 'not-posted') return;
    }
    await io.post(replyAction(message.index), `reply to message ${message.index}`);
    if (!replies) return;
    await replies.insert({ key: replyKey(message.index), value: { message: message.index } });
    io.probe('reply-recorded', { entity, message: message.index });
  };
  return async (ctx) => {
    const handle = await ctx.observe(sourceOf(sharedId));
    io.probe('observe-resolved', { entity, sharedId, wakeId: ctx.wakeId, wired: handle.__electricCollection !== undefined });
    let replies: SharedStateHandle | undefined;
    if (replyLogId !== undefined) {
      replies = await ctx.observe(sourceOf(replyLogId));
      io.probe('observe-resolved', { entity, sharedId: replyLogId, wakeId: ctx.wakeId, wired: replies.__electricCollection !== undefined });
    }
    await catchUp(handle);
    for (const message of inboxMessages(ctx.inputs, inbox)) await reply(message, replies);
    if (!parentOfChildren) return;
    for (const completion of childCompletions(ctx.inputs)) await io.post(childDoneAction(completion), `${completion.child} finished run ${completion.run}`);
  };
}
