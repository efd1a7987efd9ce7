import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { getProperty, judge, type RunHistory } from '../../properties/index.ts';

let step = 0;
const event = (actor: string, kind: string, detail: TraceEvent['detail']): TraceEvent => ({ step: ++step, atMs: step * 10, actor, kind, detail });
const annotation = (actor: string, kind: string, detail: TraceEvent['detail']): TraceEvent => ({ ...event(actor, kind, detail), annotation: true });

const history = (events: TraceEvent[], extra: Partial<RunHistory> = {}): RunHistory => ({
  config: { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' },
  faults: [],
  events,
  endedBy: 'horizon',
  endMs: 1_000_000,
  steps: 100,
  expectedActions: [],
  endState: { liveHosts: ['host#1', 'host#2'], activeClaims: [] },
  pendingTasks: [],
  hangAfterMs: 90_000,
  quietFromMs: 800_000,
  ...extra,
});
const oracle = (name: string) => (run: RunHistory) => getProperty(name).judge(run, new Set());

const posted = (occurrence: number, peer = 'host#1') => event('chat', 'action-performed', { peer, entity: 'e', action: `digest:${occurrence}` });
const O1 = '0000000000000000_0000000000000100';
const O2 = '0000000000000000_0000000000000200';
const O3 = '0000000000000000_0000000000000300';
/** Wake events appended at O1, O2, O3 as generations 1, 2, 3 of one subscription. */
const WAKE_OFFSETS = [O1, O2, O3];
const generationAt = (offset: string) => WAKE_OFFSETS.indexOf(offset) + 1;
const appends = () => WAKE_OFFSETS.map((offset, index) => event('durable-streams', 'wake-appended', { subscription: 's', generation: index + 1, stream: 'inbox', offset }));
/** The service serves `peer` the wakes at `offsets` in one answer of a read of its wake stream. */
const served = (peer: string, ...offsets: string[]) =>
  event('durable-streams', 'stream-read', {
    peer,
    stream: 'runners/r1/wake',
    offset: '-1',
    live: false,
    status: 200,
    next: offsets.at(-1) ?? null,
    count: offsets.length,
    wakes: offsets.map((offset) => ({ subscription: 's', generation: generationAt(offset) })),
  });
let wakeIds = 0;
/** The agents server answers `peer`'s claim of subscription `s`; a grant (200) is followed by the peer's done unless `dropped`. */
const claimed = (peer: string, status = 200, dropped = false): TraceEvent[] => {
  const wakeId = `w${++wakeIds}`;
  const answer = event('agents-server', 'claim-answered', { peer, runner: 'r1', subscription: 's', status, ...(status === 200 ? { wakeId } : {}) });
  return status === 200 && !dropped ? [answer, event('agents-server', 'done-received', { peer, wakeId, generation: 1, acks: [], status: 200 })] : [answer];
};

describe('duplicate-action', () => {
  it('flags the second performance of an action, at that event', () => {
    const events = [posted(0), posted(1), posted(0, 'host#2')];
    const violations = oracle('duplicate-action')(history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(2);
    expect(violations[0]!.message).toContain('host#2');
  });
  it('is quiet when each action is performed once', () => {
    expect(oracle('duplicate-action')(history([posted(0), posted(1)]))).toEqual([]);
  });
  it('reads what the chat service saw, never an annotation that claims a post', () => {
    const events = [posted(0), annotation('host#1', 'action-performed', { peer: 'host#1', entity: 'e', action: 'digest:0' })];
    expect(oracle('duplicate-action')(history(events))).toEqual([]);
  });
});

describe('missed-action', () => {
  const expectedActions = [0, 1].map((occurrence) => ({ entity: 'e', action: `digest:${occurrence}`, dueAtMs: occurrence * 100 }));
  it('flags every due action never performed', () => {
    const violations = oracle('missed-action')(history([posted(0)], { expectedActions }));
    expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining('digest:1')]);
  });
  it('is quiet when all were performed', () => {
    expect(oracle('missed-action')(history([posted(1), posted(0)], { expectedActions }))).toEqual([]);
  });
});

describe('unwired-resolve', () => {
  it("flags observe results the entity's code saw unwired, and only those", () => {
    const events = [
      event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w1', wired: true }),
      event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w2', wired: false }),
      annotation('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w3', wired: false }),
    ];
    const violations = oracle('unwired-resolve')(history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(1);
  });
});

describe('wake-replay (from what the servers observed)', () => {
  it('flags a later runner served a wake an earlier one had settled with a claim', () => {
    const replay = served('host#2', O1);
    const events = [...appends(), served('host#1', O1), ...claimed('host#1'), served('host#1', O2), ...claimed('host#1', 204), replay];
    const violations = oracle('wake-replay')(history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.eventIndex).toBe(events.indexOf(replay));
    expect(violations[0]!.message).toContain('the wake s#1 at');
  });
  it('does not count wakes whose claim never got an answer as processed', () => {
    const events = [...appends(), served('host#1', O1), ...claimed('host#1'), served('host#1', O2), ...claimed('host#1', 503), served('host#2', O2, O3)];
    expect(oracle('wake-replay')(history(events))).toEqual([]);
  });
  it('does not count a granted claim the runner dropped before done (a stop aborting it) as processed', () => {
    const events = [...appends(), served('host#1', O1), ...claimed('host#1'), served('host#1', O2), ...claimed('host#1', 200, true), served('host#2', O2)];
    expect(oracle('wake-replay')(history(events))).toEqual([]);
  });
  it('is quiet when the new runner resumes after the processed mark', () => {
    const events = [...appends(), served('host#1', O1), ...claimed('host#1'), served('host#2', O2)];
    expect(oracle('wake-replay')(history(events))).toEqual([]);
  });
  it('judges where the service appended the wakes: one answer holding several wakes settles them one claim at a time', () => {
    // host#1 was served O1 and O2 in one answer and settled only one of them: only O1 is processed.
    const replay = served('host#2', O1, O2);
    const events = [...appends(), served('host#1', O1, O2), ...claimed('host#1'), replay];
    const violations = oracle('wake-replay')(history(events));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain(`at ${O1} again`);
    expect(violations[0]!.message).toContain(`up to ${O1}`);
  });
  it('does not count what a runner is served from the first wake row owed when it began (a payload no done acknowledged)', () => {
    // Generation 1's event at O1 carries a payload row; host#1 settled generations 1 and 2 but no done acknowledged the
    // row, so host#2 must read from O1 again: owed work, not a replay. Once acknowledged, the same read is a replay.
    const row = event('durable-streams', 'wake-row-appended', { subscription: 's', generation: 1, wakeStream: 'runners/r1/wake', offset: O1, payload: { kind: 'run-finished' }, issued: true });
    const rowsAcked = event('durable-streams', 'wake-rows-acked', { subscription: 's', generation: 2, wakeStream: 'runners/r1/wake', offset: O1 });
    const settled = () => [...appends(), row, served('host#1', O1, O2), ...claimed('host#1'), ...claimed('host#1', 204)];
    const register = (peer: string) => event('agents-server', 'runner-registered', { peer, runner: 'r1', wakeStream: 'runners/r1/wake', resumeOffset: null });
    expect(oracle('wake-replay')(history([...settled(), register('host#2'), served('host#2', O1, O2)]))).toEqual([]);
    expect(oracle('wake-replay')(history([...settled(), register('host#2'), rowsAcked, served('host#2', O1, O2)]))).toEqual([]);
    const violations = oracle('wake-replay')(history([...settled(), rowsAcked, register('host#2'), served('host#2', O1, O2)]));
    expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining(`the wake s#1 at ${O1} again`)]);
  });
  it("does not excuse a replay with a row owed in another runner's wake stream (offsets of different streams do not compare)", () => {
    const otherRow = event('durable-streams', 'wake-row-appended', { subscription: 's2', generation: 1, wakeStream: 'runners/r2/wake', offset: O1, payload: { kind: 'run-finished' }, issued: true });
    const register = event('agents-server', 'runner-registered', { peer: 'host#2', runner: 'r1', wakeStream: 'runners/r1/wake', resumeOffset: null });
    const events = [...appends(), otherRow, served('host#1', O1, O2), ...claimed('host#1'), ...claimed('host#1', 204), register, served('host#2', O1, O2)];
    expect(oracle('wake-replay')(history(events)).map((violation) => violation.message)).toEqual([expect.stringContaining(`the wake s#1 at ${O1} again`)]);
  });
  it('compares offsets within one wake stream: what another runner processed of its own wake stream is no history of this one', () => {
    // Several runners (daily-digest --runners): r1's process settled O1 and O2 of runners/r1/wake; r2's process is then
    // served a wake at O1 of runners/r2/wake, an offset of another stream, the first it was ever served.
    const otherStream = event('durable-streams', 'stream-read', {
      peer: 'runner-2/host#1',
      stream: 'runners/r2/wake',
      offset: '-1',
      live: false,
      status: 200,
      next: O1,
      count: 1,
      wakes: [{ subscription: 't', generation: 1 }],
    });
    const appendedThere = event('durable-streams', 'wake-appended', { subscription: 't', generation: 1, stream: 'inbox-t', wakeStream: 'runners/r2/wake', offset: O1 });
    const settledHere = [...appends(), served('host#1', O1), ...claimed('host#1'), served('host#1', O2), ...claimed('host#1', 204)];
    const register = event('agents-server', 'runner-registered', { peer: 'runner-2/host#1', runner: 'r2', wakeStream: 'runners/r2/wake', resumeOffset: null });
    expect(oracle('wake-replay')(history([...settledHere, appendedThere, register, otherStream]))).toEqual([]);
    expect(oracle('wake-replay')(history([...settledHere, appendedThere, otherStream]))).toEqual([]);
  });
  it('needs no annotation: a runtime that reports nothing is judged the same', () => {
    const withNotes = [...appends(), served('host#1', O1), annotation('host#1', 'wake-read', { offset: O1, subscription: 's', generation: 1 }), ...claimed('host#1'), served('host#2', O1)];
    const without = withNotes.filter((candidate) => !candidate.annotation);
    expect(oracle('wake-replay')(history(withNotes)).map((violation) => violation.message)).toEqual(oracle('wake-replay')(history(without)).map((violation) => violation.message));
    expect(oracle('wake-replay')(history(without))).toHaveLength(1);
  });
});

describe('hang (from the scenario\'s own handler spans)', () => {
  const start = (actor: string, wakeId: string, atMs: number): TraceEvent => ({ ...event(actor, 'handler-start', { entity: 'e', wakeId, inputs: [] }), atMs });
  const end = (actor: string, wakeId: string): TraceEvent => event(actor, 'handler-end', { entity: 'e', wakeId, outcome: 'returned' });
  it('flags a handler open longer than the threshold in a live process, listing it', () => {
    const violations = oracle('hang')(history([start('host#1', 'w1', 100)]));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('host#1: handler of e for wake w1 (since 100 ms)');
  });
  it('ignores handlers that ended, handlers of dead processes, and recent ones at the horizon', () => {
    expect(oracle('hang')(history([start('host#1', 'w1', 100), end('host#1', 'w1')]))).toEqual([]);
    expect(oracle('hang')(history([start('host#3', 'w1', 100)]))).toEqual([]);
    expect(oracle('hang')(history([start('host#1', 'w1', 990_000)]))).toEqual([]);
  });
  it('flags an exhausted step budget even with nothing listed', () => {
    expect(oracle('hang')(history([], { endedBy: 'step-budget', pendingTasks: ['x: timer at 5 ms'] }))[0]!.message).toContain('step budget');
  });
  it('flags a step that looped in microtasks, naming the step and what it recorded last', () => {
    const spin: TraceEvent = { ...event('sim', 'step-spin', { events: 10_000, actor: 'host#1', kind: 'preload-failed' }), step: 7 };
    expect(oracle('hang')(history([spin], { endedBy: 'spin', pendingTasks: ['x: timer at 5 ms'] })).map((violation) => violation.message)).toEqual([
      'hang: a loop in microtasks: step 7 recorded more than 10000 events without yielding to the scheduler, the last host#1 preload-failed; pending: task: x: timer at 5 ms',
    ]);
  });
  it('flags an exhausted trace budget, naming the limit and listing the pending work', () => {
    const run = history([start('host#1', 'w1', 990_000)], { endedBy: 'trace-budget', maxTraceEvents: 1, pendingTasks: ['x: timer at 5 ms'] });
    expect(oracle('hang')(run).map((violation) => violation.message)).toEqual([
      'hang: trace budget of 1 observations exhausted (1 kept after 100 steps); pending: host#1: handler of e for wake w1 (since 990000 ms); task: x: timer at 5 ms',
    ]);
  });
});

describe('judge', () => {
  it('reports in property order, model conformance last', () => {
    const events = [event('host#1', 'observe-resolved', { sharedId: 's', wakeId: 'w', wired: false }), posted(0), posted(0)];
    // A history made of bare events is not a run the model accepts: conformance flags it.
    expect(judge(history(events)).map((violation) => violation.property)).toEqual(['duplicate-action', 'unwired-resolve', 'model-conformance']);
  });
});
