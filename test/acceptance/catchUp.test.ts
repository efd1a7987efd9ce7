import { describe, expect, it } from 'vitest';
import type { HandlerContext, SharedStateHandle, StateRow } from '../../protocol/entity/EntityHandler.ts';
import { digestHandler, occurrenceKey, type CatchUpMode } from '../../scenarios/daily-digest/digestEntity.ts';

/** A wired handle over `rows` (it records what is inserted), or an unwired one (no collection). */
function handle(rows: StateRow[] | undefined): SharedStateHandle & { readonly inserted: StateRow[] } {
  const inserted: StateRow[] = [];
  const collection = rows && { has: (key: string) => rows.some((row) => row.key === key), get: (key: string) => rows.find((row) => row.key === key)?.value, toArray: () => [...rows] };
  return { id: 'digest-log', mode: 'connect', __electricCollection: collection, toArray: () => [...(rows ?? [])], insert: async (row) => void inserted.push(row), inserted };
}

/** Runs the digest entity's code once, at 700 s: days 0, 1 and 2 (due at 60, 360 and 660 s) are due. */
async function wakeAfterThreeDays(catchUp: CatchUpMode, shared: ReturnType<typeof handle>, idempotency: 'raw-collection' | 'wired-gate' = 'raw-collection'): Promise<string[]> {
  const posts: string[] = [];
  const handler = digestHandler(
    { entity: 'digest-1', inbox: 'entities/digest-1/inbox', sharedId: 'digest-log', schedule: { name: 'daily-digest', firstDueAtMs: 60_000, periodMs: 300_000, count: 3 }, idempotency, catchUp },
    { post: async (action) => void posts.push(action), probe: () => {}, nowMs: () => 700_000 },
  );
  const ctx: HandlerContext = { entity: 'digest-1', wakeId: 'w1', inputs: [], observe: async () => shared };
  await handler(ctx);
  return posts;
}

const row = (occurrence: number): StateRow => ({ key: occurrenceKey(occurrence), value: { occurrence } });

describe('--catch-up: which due days a wake posts', () => {
  it('newest (the report\'s entity): only the newest due day, though two older ones were never posted', async () => {
    const shared = handle([]);
    expect(await wakeAfterThreeDays('newest', shared)).toEqual(['digest:2']);
    expect(shared.inserted.map((inserted) => inserted.key)).toEqual([occurrenceKey(2)]);
  });

  it('every-due: each due day it has not posted, oldest first, each recorded', async () => {
    const shared = handle([row(1)]);
    expect(await wakeAfterThreeDays('every-due', shared)).toEqual(['digest:0', 'digest:2']);
    expect(shared.inserted.map((inserted) => inserted.key)).toEqual([occurrenceKey(0), occurrenceKey(2)]);
  });

  it('every-due: a check that says to do nothing this wake (wired-gate, unwired handle) stops the catch-up', async () => {
    expect(await wakeAfterThreeDays('every-due', handle(undefined), 'wired-gate')).toEqual([]);
  });
});
