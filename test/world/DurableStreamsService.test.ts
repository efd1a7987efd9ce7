import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { DurableStreamsService } from '../../world/durable-streams/DurableStreamsService.ts';
import { OFFSET_PATTERN, formatOffset } from '../../world/durable-streams/offsets.ts';
import { HttpError } from '../../world/network/HttpError.ts';
import { drain, expectHttpError, makeSim, track } from './simHelpers.ts';

function serviceWith(path: string, values: readonly number[]) {
  const sim = makeSim();
  const ds = new DurableStreamsService(sim);
  ds.create(path);
  const offsets = values.map((value) => ds.append(path, { n: value }));
  return { sim, ds, offsets };
}

describe('DurableStreamsService catch-up reads', () => {
  it('append returns strictly increasing offsets in the reference format', () => {
    const { offsets } = serviceWith('/s', [1, 2, 3]);
    for (const offset of offsets) expect(offset).toMatch(OFFSET_PATTERN);
    expect(offsets[0]! < offsets[1]! && offsets[1]! < offsets[2]!).toBe(true);
  });

  it('read from -1 returns every item, ending at the tail', () => {
    const { ds, offsets } = serviceWith('/s', [1, 2, 3]);
    const result = ds.read('/s', '-1');
    expect(result.items.map((item) => item.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(result.nextOffset).toBe(offsets[2]);
    expect(ds.tailOffset('/s')).toBe(offsets[2]);
  });

  it("read from an item's offset returns only the items after it", () => {
    const { ds, offsets } = serviceWith('/s', [1, 2, 3]);
    expect(ds.read('/s', offsets[0]!).items.map((item) => item.value)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(ds.read('/s', offsets[2]!).items).toEqual([]);
  });

  it('read at now returns no items and the tail offset', () => {
    const { ds, offsets } = serviceWith('/s', [1, 2]);
    const result = ds.read('/s', 'now');
    expect(result.items).toEqual([]);
    expect(result.nextOffset).toBe(offsets[1]);
  });

  it('an empty stream reads as no items at the zero offset', () => {
    const { ds } = serviceWith('/s', []);
    expect(ds.read('/s', '-1')).toEqual({ items: [], nextOffset: formatOffset(0), upToDate: true });
    expect(ds.append('/s', 1) > formatOffset(0)).toBe(true);
  });

  it("read and append of a missing stream throw HttpError 404 'Stream not found'", () => {
    const { ds } = serviceWith('/s', []);
    expect(expectHttpError(() => ds.read('/missing', '-1'), 404, 'STREAM_NOT_FOUND').message).toBe('Stream not found');
    expect(expectHttpError(() => ds.append('/missing', 1), 404, 'STREAM_NOT_FOUND').message).toBe('Stream not found');
    expect(ds.has('/missing')).toBe(false);
  });

  it('an invalid offset gives 400', () => {
    const { ds } = serviceWith('/s', [1]);
    expectHttpError(() => ds.read('/s', 'garbage'), 400, 'INVALID_OFFSET');
  });

  it('create is idempotent: it never truncates an existing stream', () => {
    const { ds } = serviceWith('/s', [1, 2]);
    ds.create('/s');
    expect(ds.read('/s', '-1').items).toHaveLength(2);
  });

  it('tells append listeners about every append', () => {
    const { ds } = serviceWith('/s', []);
    const seen: string[] = [];
    ds.onAppend((path, item) => seen.push(`${path}@${item.offset}`));
    const offset = ds.append('/s', 'x');
    expect(seen).toEqual([`/s@${offset}`]);
  });
});
