import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rangeIndex, runRange, runsUpTo } from '../../sim/explore/runRange.ts';
import { scanRange, type BatchHit, type BatchOutcome } from '../../sim/explore/scanRange.ts';
import type { RunRange } from '../../sim/explore/runRange.ts';

const indexesOf = (range: RunRange): number[] => Array.from({ length: range.count }, (_, position) => rangeIndex(range, position));

describe('run ranges and shards', () => {
  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 })])('shards 1/n .. n/n cover every run index below the budget exactly once', (maxRuns, count) => {
    const covered = Array.from({ length: count }, (_, index) => indexesOf(runRange(maxRuns, { index: index + 1, count }))).flat();
    expect(covered.sort((a, b) => a - b)).toEqual(Array.from({ length: maxRuns }, (_, runIndex) => runIndex));
    for (let index = 1; index <= count; index += 1) {
      for (const runIndex of indexesOf(runRange(maxRuns, { index, count }))) expect(runIndex % count).toBe(index - 1);
    }
  });

  it('counts the runs of a range up to a run index', () => {
    const range = runRange(10, { index: 2, count: 3 }); // 1, 4, 7
    expect(indexesOf(range)).toEqual([1, 4, 7]);
    expect([0, 1, 3, 4, 7, 9, 100].map((runIndex) => runsUpTo(range, runIndex))).toEqual([0, 1, 1, 2, 3, 3, 3]);
  });

  it('refuses a shard outside 1/n .. n/n', () => {
    expect(() => runRange(10, { index: 0, count: 3 })).toThrow(RangeError);
    expect(() => runRange(10, { index: 4, count: 3 })).toThrow(RangeError);
  });
});

/** A fake search space: which keys each run index shows. */
type Space = ReadonlyMap<number, readonly string[]>;

/** What a sequential scan over `range` finds, and how many runs it needs (the reference). */
function sequentialScan(range: RunRange, keys: readonly string[], space: Space): { firsts: Map<string, number>; runsNeeded: number } {
  const firsts = new Map<string, number>();
  for (let position = 0; position < range.count; position += 1) {
    const runIndex = rangeIndex(range, position);
    for (const key of space.get(runIndex) ?? []) if (keys.includes(key) && !firsts.has(key)) firsts.set(key, runIndex);
    if (keys.every((key) => firsts.has(key))) return { firsts, runsNeeded: position + 1 };
  }
  return { firsts, runsNeeded: range.count };
}

/** A batch of the fake space, honouring the batch contract (lowest hit per key, may stop once every key was hit). */
function fakeBatch(batch: RunRange, keys: readonly string[], space: Space): BatchOutcome {
  const hits: BatchHit[] = [];
  const seen = new Set<string>();
  let runsDone = 0;
  for (let position = 0; position < batch.count && seen.size < keys.length; position += 1) {
    const runIndex = rangeIndex(batch, position);
    runsDone += 1;
    for (const key of space.get(runIndex) ?? []) {
      if (!keys.includes(key) || seen.has(key)) continue;
      seen.add(key);
      hits.push({ key, runIndex });
    }
  }
  return { runsDone, hits };
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('scanRange', () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 120 }),
      fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      fc.constantFrom(['a'], ['a', 'b', 'c']),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 130 }), fc.constantFrom('a', 'b', 'c', 'z')), { maxLength: 12 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }),
    ],
    { numRuns: 300 },
  )('finds what a sequential scan finds, for any batch size, concurrency and order in which batches end', async (maxRuns, shardCount, keys, hits, batchSize, concurrency, delays) => {
    const range = runRange(maxRuns, shardCount === undefined ? undefined : { index: 1 + (maxRuns % shardCount), count: shardCount });
    const space = new Map<number, string[]>();
    for (const [runIndex, key] of hits) space.set(runIndex, [...(space.get(runIndex) ?? []), key]);
    let batchNumber = 0;
    const outcome = await scanRange({
      range,
      keys,
      batchSize,
      concurrency,
      runBatch: async (batch) => {
        // Each batch ends after its own number of macrotasks, so later batches often end before earlier ones.
        const delay = delays[batchNumber++ % delays.length]!;
        for (let tick = 0; tick < delay; tick += 1) await nextMacrotask();
        return fakeBatch(batch, keys, space);
      },
    });
    const expected = sequentialScan(range, keys, space);
    expect(Object.fromEntries(outcome.firsts)).toEqual(Object.fromEntries(expected.firsts));
    expect(outcome.runsNeeded).toBe(expected.runsNeeded);
  });

  it('keeps the lower hit when a later batch reports first, and dispatches nothing past the cut-off', async () => {
    const dispatched: number[] = [];
    const release: Array<() => void> = [];
    const scanning = scanRange({
      range: runRange(100),
      keys: ['finding'],
      batchSize: 10,
      concurrency: 2,
      runBatch: (batch) => {
        dispatched.push(batch.first);
        // Batch 0-9 has a hit at 7 but ends last; batch 10-19 has a hit at 12 and ends first.
        const hits = batch.first === 0 ? [{ key: 'finding', runIndex: 7 }] : batch.first === 10 ? [{ key: 'finding', runIndex: 12 }] : [];
        return new Promise((resolve) => release.push(() => resolve({ runsDone: batch.count, hits })));
      },
    });
    await nextMacrotask();
    expect(dispatched).toEqual([0, 10]);
    release[1]!(); // 10-19 ends first, with 12: batches from 20 on start after the cut-off and are not dispatched
    await nextMacrotask();
    expect(dispatched).toEqual([0, 10]);
    release[0]!();
    const outcome = await scanning;
    expect(outcome.firsts.get('finding')).toBe(7);
    expect(outcome.runsNeeded).toBe(8);
  });

  it('reports a failing batch after the others in flight ended', async () => {
    await expect(
      scanRange({
        range: runRange(20),
        keys: ['finding'],
        batchSize: 5,
        concurrency: 2,
        runBatch: async (batch) => {
          if (batch.first === 5) throw new Error('worker died');
          return { runsDone: batch.count, hits: [] };
        },
      }),
    ).rejects.toThrow('worker died');
  });
});
