import { describe, expect, it } from 'vitest';
import { tellsTheReportStory } from '../../cli/format/reportStory.ts';
import { storyMarks } from '../../cli/format/storyMarks.ts';
import type { Violation } from '../../properties/index.ts';
import type { RunResult } from '../../scenarios/runScenario.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** One event of a hand-made story; a fourth element `true` makes it an annotation (what the runtime says of itself). */
type RawEvent = [actor: string, kind: string, detail: TraceEvent['detail'], annotation?: boolean];

const toEvents = (raw: readonly RawEvent[]): TraceEvent[] =>
  raw.map(([actor, kind, detail, annotation], step) => ({ step, atMs: step * 100, actor, kind, detail, ...(annotation ? { annotation: true as const } : {}) }));
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
const SUB = 'sub:digest-1';

/** The service serving `peer` the wakes of `generations` from its wake stream, in one answer. */
const served = (peer: string, ...generations: number[]): RawEvent => [
  'durable-streams',
  'stream-read',
  { peer, stream: 'runners/runner-1/wake', offset: '-1', live: false, status: 200, next: generations.length > 1 ? gen2 : gen1, count: generations.length, wakes: generations.map((generation) => ({ subscription: SUB, generation })) },
];
/** The agents server answering `peer`'s claim: a grant of `wakeId`, or a skip. */
const claimAnswered = (peer: string, status: number, wakeId?: string): RawEvent => [
  'agents-server',
  'claim-answered',
  { peer, runner: 'runner-1', subscription: SUB, status, ...(wakeId ? { wakeId, generation: Number(wakeId.slice(-1)), entity: 'digest-1' } : {}) },
];
const post = (peer: string): RawEvent => ['chat', 'action-performed', { peer, channel: 'digests', entity: 'digest-1', action: 'digest:0', id: `m-${peer}` }];

/**
 * The report's account as the simulation tells it: host#1 posts with an unwired handle and its record is rolled back;
 * a redeploy; host#2 starts at -1 and is served generation 1 again with generation 2, and its claim is granted the
 * subscription's current wake (generation 2), whose preload fails, so the handle is unwired and it posts again.
 */
const reportStory: RawEvent[] = [
  ['host#1', 'process-start', {}],
  ['host#1', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }, true],
  served('host#1', 1),
  claimAnswered('host#1', 200, 'w1'),
  ['host#1', 'wake-start', { entity: 'digest-1', wakeId: 'w1', generation: 1 }, true],
  ['durable-streams', 'fault', { kind: 'preload-not-found', stream: 'shared/digest-log', reader: 'host#1' }],
  ['host#1', 'preload-failed', { entity: 'digest-1', error: 'HttpError 404' }, true],
  ['host#1', 'observe-resolved', { entity: 'digest-1', wakeId: 'w1', wired: false }],
  post('host#1'),
  ['host#1', 'wake-failed', { entity: 'digest-1', wakeId: 'w1', rolledBackRows: 1 }, true],
  ['agents-server', 'done-received', { peer: 'host#1', wakeId: 'w1', generation: 1, acks: [], status: 200 }],
  ['host#1', 'wake-acked', { entity: 'digest-1', wakeId: 'w1', outcome: 'failed' }, true],
  ['supervisor', 'fault', { kind: 'redeploy', host: 'host#1' }],
  ['host#1', 'process-exit', { reason: 'graceful' }],
  ['host#2', 'process-start', {}],
  ['host#2', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }, true],
  served('host#2', 1, 2),
  claimAnswered('host#2', 200, 'w2'),
  ['host#2', 'wake-start', { entity: 'digest-1', wakeId: 'w2', generation: 2 }, true],
  claimAnswered('host#2', 409),
  ['durable-streams', 'fault', { kind: 'preload-foreign-item', stream: 'shared/digest-log', reader: 'host#2' }],
  ['host#2', 'preload-failed', { entity: 'digest-1', error: 'TypeError' }, true],
  ['host#2', 'observe-resolved', { entity: 'digest-1', wakeId: 'w2', wired: false }],
  ['host#2', 'idempotency-check', { entity: 'digest-1', occurrence: 0, verdict: 'not-posted' }],
  post('host#2'),
];

describe('causal marks', () => {
  const events = toEvents(reportStory);
  const duplicate = events.length - 1;
  const replayedRead = events.findIndex((event) => event.kind === 'stream-read' && event.detail['peer'] === 'host#2');
  const violations = [violationAt('duplicate-action', duplicate), violationAt('wake-replay', replayedRead)];

  it('call a read replayed when it led to the claim granted the wake that posts again, even of a newer generation', () => {
    const marks = storyMarks(events, violations);
    expect(labelsAt(marks, replayedRead)).toEqual(['wake-replay', 'replayed wake']);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'wake-start'))).toEqual(['wake that posts again']);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'runner-start'))).toEqual(['runner starts at -1']);
    expect(labelsAt(marks, indexOf(events, 'supervisor', 'fault'))).toEqual(['restart']);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'preload-failed'))).toEqual(['preload failure']);
  });

  it('mark the restart that came during the first wake, before its post (a redeploy whose drain let the post through)', () => {
    // The redeploy's fault moves to just after the first wake began: the SIGTERM comes before the first post.
    const redeploy = reportStory.findIndex((event) => event[0] === 'supervisor');
    const firstWake = reportStory.findIndex((event) => event[0] === 'host#1' && event[1] === 'wake-start');
    const early = [...reportStory.slice(0, firstWake + 1), reportStory[redeploy]!, ...reportStory.slice(firstWake + 1, redeploy), ...reportStory.slice(redeploy + 1)];
    const earlyEvents = toEvents(early);
    const marks = storyMarks(earlyEvents, [violationAt('duplicate-action', earlyEvents.length - 1)]);
    expect(labelsAt(marks, indexOf(earlyEvents, 'supervisor', 'fault'))).toEqual(['restart']);
  });

  it('with a focus, follow back only that violation: the others are marked where they show, their causes are not', () => {
    const marks = storyMarks(events, violations, 'wake-replay');
    expect(labelsAt(marks, duplicate)).toEqual(['duplicate-action']);
    expect(labelsAt(marks, indexOf(events, 'chat', 'action-performed'))).toEqual([]);
    expect(labelsAt(marks, indexOf(events, 'host#2', 'wake-start'))).toEqual([]);
    const firstRead = events.findIndex((event) => event.kind === 'stream-read' && event.detail['peer'] === 'host#1');
    expect(labelsAt(marks, firstRead)).toEqual(['first read of this wake']);
    expect(labelsAt(marks, indexOf(events, 'agents-server', 'done-received'))).toEqual(['processed']);
  });

  it('tell the report story apart: redeploy, start at -1, replayed wake, preload failure and unwired handle in the wake that posts again', () => {
    const result = (raw: readonly RawEvent[]): RunResult => {
      const runEvents = toEvents(raw);
      const posts = runEvents.flatMap((event, index) => (event.kind === 'action-performed' ? [index] : []));
      const replays = runEvents.flatMap((event, index) => (event.kind === 'stream-read' && event.detail['peer'] === 'host#2' ? [index] : []));
      const found = [...(posts.length > 1 ? [violationAt('duplicate-action', posts.at(-1))] : []), ...replays.map((index) => violationAt('wake-replay', index))];
      return { events: runEvents, violations: found } as unknown as RunResult;
    };
    expect(tellsTheReportStory(result(reportStory))).toBe(true);
    // A crash instead of a redeploy, no preload failure in the second wake, no replayed read: not the report's story.
    const crash = reportStory.map((event): RawEvent => (event[0] === 'supervisor' ? ['supervisor', 'fault', { kind: 'crash', host: 'host#1' }] : event));
    expect(tellsTheReportStory(result(crash))).toBe(false);
    const second = reportStory.findIndex((event) => event[0] === 'host#2' && event[1] === 'wake-start');
    const wiredSecond = reportStory
      .filter((event, index) => !(index > second && (event[1] === 'preload-failed' || event[1] === 'fault')))
      .map((event, index): RawEvent => (event[1] === 'observe-resolved' && index > second ? [event[0], event[1], { ...event[2], wired: true }] : event));
    expect(tellsTheReportStory(result(wiredSecond))).toBe(false);
    const noReplay = reportStory.map((event): RawEvent => (event[1] === 'stream-read' && event[2]['peer'] === 'host#2' ? served('host#2', 2) : event));
    expect(tellsTheReportStory(result(noReplay))).toBe(false);
    // Judged by its first duplicate only: a later day posted twice lends it no steps (here, a crash and no replay).
    const laterDay = (raw: readonly RawEvent[]): RawEvent[] => raw.map((event): RawEvent => (event[1] === 'action-performed' ? [event[0], event[1], { ...event[2], action: 'digest:1' }] : event));
    const twoDuplicates = (first: readonly RawEvent[], later: readonly RawEvent[]): RunResult => {
      const runEvents = toEvents([...first, ...laterDay(later)]);
      const posts = runEvents.flatMap((event, index) => (event.kind === 'action-performed' ? [index] : []));
      return { events: runEvents, violations: [violationAt('duplicate-action', posts[1]), violationAt('duplicate-action', posts[3])] } as unknown as RunResult;
    };
    expect(tellsTheReportStory(twoDuplicates(reportStory, crash))).toBe(true);
    expect(tellsTheReportStory(twoDuplicates(noReplay, reportStory))).toBe(false);
  });
});

describe('causal marks of a missed action', () => {
  // Occurrence 1 falls due; the wake after it fails on a preload error and is acked as failed; nothing posts it. An
  // unrelated wake replay happened before, with its own restart.
  const raw: RawEvent[] = [
    ['cron', 'cron-tick', { schedule: 'daily-digest', tick: 0 }],
    served('host#1', 1),
    claimAnswered('host#1', 200, 'w1'),
    ['host#1', 'wake-start', { entity: 'digest-1', wakeId: 'w1', generation: 1 }, true],
    post('host#1'),
    ['agents-server', 'done-received', { peer: 'host#1', wakeId: 'w1', generation: 1, acks: [], status: 200 }],
    ['host#1', 'wake-acked', { entity: 'digest-1', wakeId: 'w1', outcome: 'completed' }, true],
    ['supervisor', 'fault', { kind: 'redeploy', host: 'host#1' }],
    ['host#1', 'process-exit', { reason: 'graceful' }],
    ['host#2', 'process-start', {}],
    ['host#2', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }, true],
    served('host#2', 1),
    claimAnswered('host#2', 204),
    ['cron', 'cron-tick', { schedule: 'daily-digest', tick: 1 }],
    served('host#2', 2),
    claimAnswered('host#2', 200, 'w2'),
    ['host#2', 'wake-start', { entity: 'digest-1', wakeId: 'w2', generation: 2 }, true],
    ['durable-streams', 'fault', { kind: 'preload-not-found', stream: 'shared/digest-log', reader: 'host#2' }],
    ['host#2', 'preload-failed', { entity: 'digest-1', error: 'HttpError 404' }, true],
    ['host#2', 'wake-failed', { entity: 'digest-1', wakeId: 'w2', rolledBackRows: 0 }, true],
    ['host#2', 'wake-acked', { entity: 'digest-1', wakeId: 'w2', outcome: 'failed' }, true],
  ];
  const events = toEvents(raw);
  const replay = events.findIndex((event) => event.kind === 'stream-read' && event.detail['peer'] === 'host#2');
  const violations = [violationAt('missed-action', undefined), violationAt('wake-replay', replay)];

  it('a report about the missed action highlights why occurrence 1 was never posted, not the replay', () => {
    const marks = storyMarks(events, violations, 'missed-action');
    const marked = [...marks].sort(([a], [b]) => a - b).map(([index, list]) => `${events[index]!.kind}: ${list.map((mark) => mark.label).join(', ')}`);
    expect(marked).toEqual([
      'stream-read: wake-replay',
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
    expect(labelsAt(marks, indexOf(events, 'supervisor', 'fault'))).toEqual(['restart']);
    expect(labelsAt(marks, events.findIndex((event) => event.kind === 'cron-tick' && event.detail['tick'] === 1))).toEqual(['occurrence due, never posted']);
  });
});
