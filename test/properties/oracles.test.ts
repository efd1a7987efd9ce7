import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { judge, ORACLES, type RunHistory } from '../../properties/index.ts';

let step = 0;
const event = (actor: string, kind: string, detail: TraceEvent['detail']): TraceEvent => ({ step: ++step, atMs: step * 10, actor, kind, detail });

const history = (events: TraceEvent[], extra: Partial<RunHistory> = {}): RunHistory => ({
  config: { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' },
  faults: [],
  events,
  endedBy: 'horizon',
  endMs: 1_000_000,
  steps: 100,
  expectedActions: [],
  pendingWork: [],
  pendingTasks: [],
  hangAfterMs: 90_000,
  ...extra,
});

const posted = (occurrence: number, from = 'host#1') => event('chat', 'action-performed', { entity: 'e', occurrence, from });
const O1 = '0000000000000000_0000000000000100';
const O2 = '0000000000000000_0000000000000200';
const O3 = '0000000000000000_0000000000000300';
/** Wake events appended at O1, O2, O3 as generations 1, 2, 3 of one subscription. */
const WAKE_OFFSETS = [O1, O2, O3];
const generationAt = (offset: string) => WAKE_OFFSETS.indexOf(offset) + 1;
const appends = () => WAKE_OFFSETS.map((offset, index) => event('durable-streams', 'wake-appended', { subscription: 's', generation: index + 1, offset }));
/** A runner reads the wake appended at `offset`; `reported` is what its reader knew (a batch's end, in the library tier). */
const read = (actor: string, offset: string, reported = offset) => event(actor, 'wake-read', { offset: reported, subscription: 's', generation: generationAt(offset) });
const settled = (actor: string, offset: string, reported = offset) =>
  event(actor, 'claim-settled', { offset: reported, subscription: 's', generation: generationAt(offset), outcome: 'dispatched' });

describe('duplicate-action', () => {
  it('flags the second performance of an occurrence, at that event', () => {
    const events = [posted(0), posted(1), posted(0, 'host#2')];
    const violations = ORACLES['duplicate-action'](history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(2);
    expect(violations[0]!.message).toContain('host#2');
  });
  it('is quiet when each occurrence is performed once', () => {
    expect(ORACLES['duplicate-action'](history([posted(0), posted(1)]))).toEqual([]);
  });
});

describe('missed-action', () => {
  const expectedActions = [0, 1].map((occurrence) => ({ entity: 'e', occurrence, dueAtMs: occurrence * 100 }));
  it('flags every due occurrence never performed', () => {
    const violations = ORACLES['missed-action'](history([posted(0)], { expectedActions }));
    expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining('occurrence 1')]);
  });
  it('is quiet when all were performed', () => {
    expect(ORACLES['missed-action'](history([posted(1), posted(0)], { expectedActions }))).toEqual([]);
  });
});

describe('unwired-resolve', () => {
  it('flags observe results the entity saw unwired, and only those', () => {
    const events = [
      event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w1', wired: true }),
      event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w2', wired: false }),
    ];
    const violations = ORACLES['unwired-resolve'](history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(1);
  });
});

describe('wake-replay', () => {
  it('flags a later runner re-reading a wake an earlier one had processed', () => {
    const replay = read('host#2', O1);
    const events = [...appends(), read('host#1', O1), settled('host#1', O1), read('host#1', O2), settled('host#1', O2), replay];
    const violations = ORACLES['wake-replay'](history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(events.indexOf(replay));
  });
  it('does not count wakes whose claim never settled as processed', () => {
    const events = [...appends(), read('host#1', O1), settled('host#1', O1), read('host#1', O2), read('host#2', O2), read('host#2', O3)];
    expect(ORACLES['wake-replay'](history(events))).toEqual([]);
  });
  it('is quiet when the new runner resumes after the processed mark', () => {
    const events = [...appends(), read('host#1', O1), settled('host#1', O1), read('host#2', O2)];
    expect(ORACLES['wake-replay'](history(events))).toEqual([]);
  });
  // The library tier: the client gives one offset per batch, so a runner reports O3 for every wake of a batch
  // holding O1..O3. The oracle judges the positions the service appended the wakes at, not the reported offset.
  it('judges where wakes were appended, not the batch offset a runner reports', () => {
    const replay = read('host#2', O1, O3);
    const events = [...appends(), read('host#1', O1), settled('host#1', O1), replay, read('host#2', O2, O3), read('host#2', O3, O3)];
    const violations = ORACLES['wake-replay'](history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(events.indexOf(replay));
    expect(violations[0]!.message).toContain(`re-read the wake at ${O1}`);
  });
  it('settles the claim of the wake named, when several share a reported offset', () => {
    // host#1 settles generation 2 but not 1 of a batch reported at O2: nothing is processed, so no replay.
    const events = [...appends(), read('host#1', O1, O2), read('host#1', O2, O2), settled('host#1', O2, O2), read('host#2', O1)];
    expect(ORACLES['wake-replay'](history(events))).toEqual([]);
  });
});

describe('hang', () => {
  const stuck = { actor: 'host#1', kind: 'wake', label: 'processWake w1', sinceMs: 100 };
  it('flags work open longer than the threshold, listing it', () => {
    const violations = ORACLES.hang(history([], { pendingWork: [stuck] }));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('processWake w1');
  });
  it('flags an exhausted step budget even with nothing listed', () => {
    expect(ORACLES.hang(history([], { endedBy: 'step-budget', pendingTasks: ['x: timer at 5 ms'] }))[0]!.message).toContain('step budget');
  });
  it('ignores recent work at the horizon', () => {
    expect(ORACLES.hang(history([], { pendingWork: [{ ...stuck, sinceMs: 990_000 }] }))).toEqual([]);
  });
});

describe('judge', () => {
  it('reports in property order, model conformance last', () => {
    const events = [event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w', wired: false }), posted(0), posted(0)];
    // A history made of bare oracle events is not a run the model accepts: conformance flags it.
    expect(judge(history(events)).map((violation) => violation.property)).toEqual(['duplicate-action', 'unwired-resolve', 'model-conformance']);
  });
});
