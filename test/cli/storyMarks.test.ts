import { describe, expect, it } from 'vitest';
import { tellsTheReportStory } from '../../cli/format/reportStory.ts';
import { storyMarks } from '../../cli/format/storyMarks.ts';
import type { Violation } from '../../properties/index.ts';
import type { RunResult } from '../../scenarios/runScenario.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

type RawEvent = [actor: string, kind: string, detail: TraceEvent['detail']];

const toEvents = (raw: readonly RawEvent[]): TraceEvent[] => raw.map(([actor, kind, detail], step) => ({ step, atMs: step * 100, actor, kind, detail }));
const indexOf = (events: readonly TraceEvent[], actor: string, kind: string, from = 0): number =>
  events.findIndex((event, index) => index >= from && event.actor === actor && event.kind === kind);
const violationAt = (property: Violation['property'], eventIndex: number | undefined): Violation => ({
  property,
  message: property,
  step: eventIndex ?? 0,
  atMs: (eventIndex ?? 0) * 100,
  ...(eventIndex === undefined ? {} : { eventIndex }),
});
const labelsAt = (marks: Map<number, Array<{ label: string }>>, index: number): string[] => (marks.get(index) ?? []).map((mark) => mark.label);

const gen1 = '0000000000000000_0000000000000110';
const gen2 = '0000000000000000_0000000000000227';

/**
 * The report's account as the simulation tells it: host#1 posts with an unwired handle and its record is rolled back;
 * a redeploy; host#2 starts at -1 and re-reads generation 1, and the claim of that replayed read dispatches the
 * subscription's current wake (generation 2), whose preload fails, so the handle is unwired and it posts again.
 */
const reportStory: RawEvent[] = [
  ['host#1', 'process-start', {}],
  ['host#1', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }],
  ['host#1', 'wake-read', { offset: gen1, subscription: 'sub:digest-1', generation: 1 }],
  ['host#1', 'wake-start', { entity: 'digest-1', wakeId: 'sub:digest-1/1', generation: 1 }],
  ['host#1', 'claim-settled', { offset: gen1, subscription: 'sub:digest-1', generation: 1, outcome: 'dispatched' }],
  ['durable-streams', 'fault', { kind: 'preload-not-found', path: '/shared/digest-log', reader: 'host#1' }],
  ['host#1', 'preload-failed', { entity: 'digest-1', error: 'HttpError 404' }],
  ['host#1', 'observe-resolved', { entity: 'digest-1', wakeId: 'sub:digest-1/1', wired: false }],
  ['chat', 'action-performed', { entity: 'digest-1', occurrence: 0, from: 'host#1' }],
  ['host#1', 'wake-failed', { entity: 'digest-1', wakeId: 'sub:digest-1/1', rolledBackRows: 1 }],
  ['host#1', 'wake-acked', { entity: 'digest-1', wakeId: 'sub:digest-1/1', outcome: 'failed' }],
  ['supervisor', 'fault', { kind: 'redeploy', host: 'host#1' }],
  ['host#1', 'process-exit', { reason: 'graceful' }],
  ['host#2', 'process-start', {}],
  ['host#2', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }],
  ['host#2', 'wake-read', { offset: gen1, subscription: 'sub:digest-1', generation: 1 }],
  ['host#2', 'wake-read', { offset: gen2, subscription: 'sub:digest-1', generation: 2 }],
  ['host#2', 'claim-settled', { offset: gen2, subscription: 'sub:digest-1', generation: 2, outcome: 'ALREADY_CLAIMED' }],
  ['host#2', 'wake-start', { entity: 'digest-1', wakeId: 'sub:digest-1/2', generation: 2 }],
  ['host#2', 'claim-settled', { offset: gen1, subscription: 'sub:digest-1', generation: 1, outcome: 'dispatched' }],
  ['durable-streams', 'fault', { kind: 'preload-foreign-item', path: '/shared/digest-log', reader: 'host#2' }],
  ['host#2', 'preload-failed', { entity: 'digest-1', error: 'TypeError' }],
  ['host#2', 'observe-resolved', { entity: 'digest-1', wakeId: 'sub:digest-1/2', wired: false }],
  ['host#2', 'idempotency-check', { entity: 'digest-1', occurrence: 0, verdict: 'not-posted' }],
  ['chat', 'action-performed', { entity: 'digest-1', occurrence: 0, from: 'host#2' }],
];

describe('causal marks', () => {
  const events = toEvents(reportStory);
  const duplicate = events.length - 1;
  const replayedRead = indexOf(events, 'host#2', 'wake-read');
  const violations = [violationAt('duplicate-action', duplicate), violationAt('wake-replay', replayedRead)];

  it('call a read replayed when its claim dispatched the wake that posts again, even of a newer generation', () => {
    const marks = storyMarks(events, violations);
    expect(labelsAt(marks, replayedRead)).toEqual(['wake-replay', 'replayed wake']);
    // The read of the wake's own generation only came second: its claim found the wake already claimed.
    expect(labelsAt(marks, replayedRead + 1)).toEqual([]);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'wake-start'))).toEqual(['wake that posts again']);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'runner-start'))).toEqual(['runner starts at -1']);
    expect(labelsAt(marks, indexOf(events, 'supervisor', 'fault'))).toEqual(['restart']);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'preload-failed'))).toEqual(['preload failure']);
  });

  it('with a focus, follow back only that violation: the others are marked where they show, their causes are not', () => {
    const marks = storyMarks(events, violations, 'wake-replay');
    expect(labelsAt(marks, duplicate)).toEqual(['duplicate-action']);
    expect(labelsAt(marks, indexOf(events, 'chat', 'action-performed'))).toEqual([]);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'wake-start'))).toEqual([]);
    expect(labelsAt(marks, indexOf(events, 'host#1', 'wake-read'))).toEqual(['first read of this wake']);
  });

  it('tell the report story apart: redeploy, start at -1, replayed wake, preload failure and unwired handle in the wake that posts again', () => {
    const result = (raw: readonly RawEvent[]): RunResult => {
      const runEvents = toEvents(raw);
      const posts = runEvents.flatMap((event, index) => (event.kind === 'action-performed' ? [index] : []));
      const replays = runEvents.flatMap((event, index) => (event.kind === 'wake-read' && event.actor === 'host#2' && event.detail['generation'] === 1 ? [index] : []));
      const found = [...(posts.length > 1 ? [violationAt('duplicate-action', posts.at(-1))] : []), ...replays.map((index) => violationAt('wake-replay', index))];
      return { events: runEvents, violations: found } as unknown as RunResult;
    };
    expect(tellsTheReportStory(result(reportStory))).toBe(true);
    // A crash instead of a redeploy, no preload failure in the second wake, no replayed read: not the report's story.
    const crash = reportStory.map((event): RawEvent => (event[0] === 'supervisor' ? ['supervisor', 'fault', { kind: 'crash', host: 'host#1' }] : event));
    expect(tellsTheReportStory(result(crash))).toBe(false);
    const wiredSecond = reportStory.filter((event, index) => !(index > 18 && (event[1] === 'preload-failed' || event[1] === 'fault'))).map((event, index): RawEvent =>
      event[1] === 'observe-resolved' && index > 18 ? [event[0], event[1], { ...event[2], wired: true }] : event,
    );
    expect(tellsTheReportStory(result(wiredSecond))).toBe(false);
    const noReplay = reportStory.filter((event, index) => !(event[0] === 'host#2' && event[1] === 'wake-read' && index === replayedRead));
    expect(tellsTheReportStory(result(noReplay))).toBe(false);
  });
});

describe('causal marks of a missed action', () => {
  // Occurrence 1 falls due; the wake after it fails on a preload error and is acked as failed; nothing posts it. An
  // unrelated wake replay happened before, with its own restart.
  const events = toEvents([
    ['cron', 'cron-tick', { schedule: 'daily-digest', tick: 0 }],
    ['host#1', 'wake-read', { offset: gen1, subscription: 'sub:digest-1', generation: 1 }],
    ['host#1', 'wake-start', { entity: 'digest-1', wakeId: 'sub:digest-1/1', generation: 1 }],
    ['host#1', 'claim-settled', { offset: gen1, subscription: 'sub:digest-1', generation: 1, outcome: 'dispatched' }],
    ['chat', 'action-performed', { entity: 'digest-1', occurrence: 0, from: 'host#1' }],
    ['host#1', 'wake-acked', { entity: 'digest-1', wakeId: 'sub:digest-1/1', outcome: 'completed' }],
    ['supervisor', 'fault', { kind: 'redeploy', host: 'host#1' }],
    ['host#1', 'process-exit', { reason: 'graceful' }],
    ['host#2', 'process-start', {}],
    ['host#2', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }],
    ['host#2', 'wake-read', { offset: gen1, subscription: 'sub:digest-1', generation: 1 }],
    ['host#2', 'claim-settled', { offset: gen1, subscription: 'sub:digest-1', generation: 1, outcome: 'NO_PENDING_WORK' }],
    ['cron', 'cron-tick', { schedule: 'daily-digest', tick: 1 }],
    ['host#2', 'wake-read', { offset: gen2, subscription: 'sub:digest-1', generation: 2 }],
    ['host#2', 'wake-start', { entity: 'digest-1', wakeId: 'sub:digest-1/2', generation: 2 }],
    ['durable-streams', 'fault', { kind: 'preload-not-found', path: '/shared/digest-log', reader: 'host#2' }],
    ['host#2', 'preload-failed', { entity: 'digest-1', error: 'HttpError 404' }],
    ['host#2', 'wake-failed', { entity: 'digest-1', wakeId: 'sub:digest-1/2', rolledBackRows: 0 }],
    ['host#2', 'wake-acked', { entity: 'digest-1', wakeId: 'sub:digest-1/2', outcome: 'failed' }],
  ]);
  const violations = [violationAt('missed-action', undefined), violationAt('wake-replay', 10)];

  it('a report about the missed action highlights why occurrence 1 was never posted, not the replay', () => {
    const marks = storyMarks(events, violations, 'missed-action');
    const marked = [...marks].sort(([a], [b]) => a - b).map(([index, list]) => `${events[index]!.kind}: ${list.map((mark) => mark.label).join(', ')}`);
    expect(marked).toEqual([
      'wake-read: wake-replay',
      'cron-tick: occurrence due, never posted',
      'wake-start: wake that should post',
      'fault: injected fault',
      'preload-failed: preload failure',
      'wake-failed: wake fails',
      'wake-acked: acked as failed',
    ]);
  });

  it('without a focus, every violation is followed back', () => {
    const marks = storyMarks(events, violations);
    expect(labelsAt(marks, 6)).toEqual(['restart']);
    expect(labelsAt(marks, 12)).toEqual(['occurrence due, never posted']);
  });
});
