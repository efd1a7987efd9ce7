import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { IdempotencyCheck } from '../../runtime/config.ts';
import type { SharedStateHandle } from '../../runtime/shared-state/SharedStateHandle.ts';
import { db, type EntityHandler } from '../../runtime/wake/HandlerContext.ts';
import { type CronSchedule, occurrenceDueAtMs } from '../../world/agents-server/CronScheduler.ts';

/** What the entity does to the outside world, and how it reports what it saw (for the oracles). */
export interface DigestEntityIo {
  /** Posts the digest of one occurrence to the chat channel: the external side effect. */
  post(occurrence: number): Promise<void>;
  probe(kind: string, detail: { readonly [key: string]: TraceValue }): void;
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

/**
 * The catch-up entity of the bug report: on any wake, if the newest due occurrence has not been posted, post it,
 * then record it in the shared DB (the record of success is written after the side effect).
 */
export function digestHandler(options: DigestEntityOptions, io: DigestEntityIo): EntityHandler {
  const { entity, sharedId, schedule, idempotency } = options;
  return async (ctx) => {
    const handle = await ctx.observe(db(sharedId));
    io.probe('observe-resolved', { entity, sharedId, wakeId: ctx.wakeId, wired: handle.__electricCollection !== undefined });
    const occurrence = newestDueOccurrence(schedule, ctx.nowMs());
    if (occurrence === undefined) return;
    const key = `occurrence-${occurrence}`;
    const verdict = checkPosted(handle, key, idempotency);
    io.probe('idempotency-check', { entity, occurrence, verdict });
    if (verdict !== 'not-posted') return;
    await io.post(occurrence);
    await handle.insert({ key, value: { occurrence, dueAtMs: occurrenceDueAtMs(schedule, occurrence) } });
    io.probe('recorded', { entity, occurrence });
  };
}
