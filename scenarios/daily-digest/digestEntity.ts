import { db, type EntityHandler, type SharedStateHandle, type WakeInput } from '../../protocol/entity/EntityHandler.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { type CronSchedule, occurrenceDueAtMs } from '../../world/agents-server/CronScheduler.ts';
import { childCompletions, childDoneAction } from './childEntity.ts';

/** How the digest entity decides whether an occurrence was already posted (the scenario's `idempotency` switch). */
export const IDEMPOTENCY_CHECKS = ['raw-collection', 'public-read', 'wired-gate'] as const;
export type IdempotencyCheck = (typeof IDEMPOTENCY_CHECKS)[number];

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
  readonly schedule: CronSchedule;
  readonly idempotency: IdempotencyCheck;
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
 * effect); then answer each inbox message the wake gave it with a reply post (`reply:<index>`), which it records
 * nowhere: the runtime's ack is what marks a message consumed (docs/modelling-choices.md); and, when it spawned
 * children, post `child-done:<child>:<run>` for each `runFinished` row the wake gave it. It probes what it saw: the
 * handle `observe` gave it (wired or not), its check's verdict, the row it recorded.
 */
export function digestHandler(options: DigestEntityOptions, io: DigestEntityIo): EntityHandler {
  const { entity, inbox, sharedId, schedule, idempotency, parentOfChildren } = options;
  const catchUp = async (handle: SharedStateHandle): Promise<void> => {
    const occurrence = newestDueOccurrence(schedule, io.nowMs());
    if (occurrence === undefined) return;
    const key = occurrenceKey(occurrence);
    const verdict = checkPosted(handle, key, idempotency);
    io.probe('idempotency-check', { entity, occurrence, verdict });
    if (verdict !== 'not-posted') return;
    await io.post(digestAction(occurrence), `digest of day ${occurrence + 1}`);
    await handle.insert({ key, value: { occurrence, dueAtMs: occurrenceDueAtMs(schedule, occurrence) } });
    io.probe('recorded', { entity, occurrence });
  };
  return async (ctx) => {
    const handle = await ctx.observe(db(sharedId));
    io.probe('observe-resolved', { entity, sharedId, wakeId: ctx.wakeId, wired: handle.__electricCollection !== undefined });
    await catchUp(handle);
    for (const message of inboxMessages(ctx.inputs, inbox)) await io.post(replyAction(message.index), `reply to message ${message.index}`);
    if (!parentOfChildren) return;
    for (const completion of childCompletions(ctx.inputs)) await io.post(childDoneAction(completion), `${completion.child} finished run ${completion.run}`);
  };
}
