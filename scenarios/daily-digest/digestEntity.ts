import { db, type EntityHandler, type SharedStateHandle } from '../../protocol/entity/EntityHandler.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { type CronSchedule, occurrenceDueAtMs } from '../../world/agents-server/CronScheduler.ts';

/** How the digest entity decides whether an occurrence was already posted (the scenario's `idempotency` switch). */
export const IDEMPOTENCY_CHECKS = ['raw-collection', 'public-read', 'wired-gate'] as const;
export type IdempotencyCheck = (typeof IDEMPOTENCY_CHECKS)[number];

/** What the entity does to the outside world, and how it reports what it saw. */
export interface DigestEntityIo {
  /** Posts the digest of one occurrence to the chat channel: the external side effect. */
  post(occurrence: number): Promise<void>;
  /** Records what the entity's own code saw (scenario observations, not the runtime's). */
  probe(kind: string, detail: { readonly [key: string]: TraceValue }): void;
  /** Virtual milliseconds since the start of the run, from the process's clock. */
  nowMs(): number;
}

export interface DigestEntityOptions {
  readonly entity: string;
  /** The shared-state DB where posted occurrences are recorded. */
  readonly sharedId: string;
  readonly schedule: CronSchedule;
  readonly idempotency: IdempotencyCheck;
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

/**
 * The catch-up entity of the bug report: on any wake, if the newest due occurrence has not been posted, post it,
 * then record it in the shared DB (the record of success is written after the side effect). It probes what it saw:
 * the handle `observe` gave it (wired or not), its check's verdict, the row it recorded.
 */
export function digestHandler(options: DigestEntityOptions, io: DigestEntityIo): EntityHandler {
  const { entity, sharedId, schedule, idempotency } = options;
  return async (ctx) => {
    const handle = await ctx.observe(db(sharedId));
    io.probe('observe-resolved', { entity, sharedId, wakeId: ctx.wakeId, wired: handle.__electricCollection !== undefined });
    const occurrence = newestDueOccurrence(schedule, io.nowMs());
    if (occurrence === undefined) return;
    const key = occurrenceKey(occurrence);
    const verdict = checkPosted(handle, key, idempotency);
    io.probe('idempotency-check', { entity, occurrence, verdict });
    if (verdict !== 'not-posted') return;
    await io.post(occurrence);
    await handle.insert({ key, value: { occurrence, dueAtMs: occurrenceDueAtMs(schedule, occurrence) } });
    io.probe('recorded', { entity, occurrence });
  };
}
