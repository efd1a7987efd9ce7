import { createActor, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../models/modelEvents.ts';
import { runnerLifecycleMachine } from '../../models/runtime/runnerLifecycle.ts';
import { wiringChainMachine } from '../../models/runtime/wiringChain.ts';
import { digestEntityMachine } from '../../models/system/digestEntity.ts';
import { serverRunnerMachine } from '../../models/system/serverRunner.ts';
import { wakeStreamMachine } from '../../models/system/wakeStream.ts';
import { stateName, SystemModel } from '../../models/systemModel.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import type { WiringMode } from '../../models/modelConfig.ts';

/** Sends events in order; returns the index of the first one the machine cannot take, or -1, and the final state. */
function drive(machine: AnyStateMachine, input: unknown, events: ModelEvent[]): { rejectedAt: number; state: string; tags: string[] } {
  const actor = createActor(machine, { input }).start();
  for (const [index, event] of events.entries()) {
    if (!actor.getSnapshot().can(event)) return { rejectedAt: index, state: stateName(actor.getSnapshot()), tags: [...actor.getSnapshot().tags] };
    actor.send(event);
  }
  return { rejectedAt: -1, state: stateName(actor.getSnapshot()), tags: [...actor.getSnapshot().tags] };
}

const p = 'host#1';
const W = 'sub/1';

describe('runnerLifecycle', () => {
  const start = (start: 'beginning' | 'tail' | 'registered', registered: boolean): ModelEvent => ({
    type: 'RUNNER_START',
    process: p,
    start,
    startOffset: start === 'beginning' ? '-1' : start === 'tail' ? 'now' : '0000000000000000_0000000000000100',
    registered,
  });
  it('starts where the offset switch says', () => {
    expect(drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, [start('beginning', false)]).rejectedAt).toBe(-1);
    expect(drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, [start('registered', true)]).rejectedAt).toBe(0);
    // A resume offset the server reported is ignored under minus-one: the runner still starts from -1.
    expect(drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, [start('beginning', true)]).rejectedAt).toBe(-1);
    expect(drive(runnerLifecycleMachine, { offsetMode: 'tail' }, [start('beginning', false)]).rejectedAt).toBe(0);
    expect(drive(runnerLifecycleMachine, { offsetMode: 'durable' }, [start('registered', true)]).rejectedAt).toBe(-1);
  });
  it('reads only while streaming and only forward', () => {
    const events: ModelEvent[] = [
      start('beginning', false),
      { type: 'RUNNER_STATE', process: p, state: 'connecting' },
      { type: 'RUNNER_STATE', process: p, state: 'streaming' },
      { type: 'WAKE_READ', process: p, offset: '0000000000000000_0000000000000200' },
      { type: 'WAKE_READ', process: p, offset: '0000000000000000_0000000000000100' },
    ];
    expect(drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, events).rejectedAt).toBe(4);
    expect(drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, [start('beginning', false), events[3]!]).rejectedAt).toBe(1);
  });
  it('ends in crashed from any state', () => {
    const result = drive(runnerLifecycleMachine, { offsetMode: 'minus-one' }, [start('beginning', false), { type: 'PROCESS_EXIT', process: p, reason: 'crash' }]);
    expect(result).toMatchObject({ rejectedAt: -1, state: 'crashed' });
  });
});

describe('wiringChain', () => {
  const firstObserveThenFailure: ModelEvent[] = [
    { type: 'OBSERVE', process: p, created: true },
    { type: 'PRELOAD_FAILED', process: p, restored: false },
    { type: 'WIRING_FAILED', process: p },
    { type: 'OBSERVE_RESOLVED', process: p, wired: false },
  ];
  const run = (wiring: WiringMode, restored = false, events = firstObserveThenFailure) => drive(wiringChainMachine, { wiring, restored }, events);

  it('swallow: observe resolves unwired, a violation state', () => {
    expect(run('swallow')).toMatchObject({ rejectedAt: -1, state: 'resolvedUnwired' });
    expect(run('swallow').tags).toContain('unwired-resolve');
  });
  it('reject, retry and empty never let observe resolve unwired', () => {
    expect(run('reject').rejectedAt).toBe(3);
    // retry: a chain failure only happens when a stop abandons the retry, and then observe must not resolve.
    expect(run('retry').rejectedAt).toBe(3);
    expect(run('empty').rejectedAt).toBe(2);
  });
  it('a handle restored from the manifest fails closed even under swallow', () => {
    const restoredFailure: ModelEvent[] = [
      { type: 'PRELOAD_FAILED', process: p, restored: true },
      { type: 'WAKE_FAILED', process: p, wakeId: W },
      { type: 'LEASE_RELEASED' },
      { type: 'WAKE_ACKED', process: p, wakeId: W },
    ];
    expect(run('swallow', true, restoredFailure)).toMatchObject({ rejectedAt: -1, state: 'done' });
    // ... and a wake that restores cannot observe the handle as new.
    expect(run('swallow', true, [{ type: 'OBSERVE', process: p, created: true }]).rejectedAt).toBe(0);
  });
  it('a wake whose observe resolved unwired cannot complete without failing', () => {
    expect(run('swallow', false, [...firstObserveThenFailure, { type: 'WAKE_ACKED', process: p, wakeId: W }]).rejectedAt).toBe(4);
  });
  it("places the handler's span: processWake commits what the server stored, fails and acks, only after the handler ended", () => {
    const wired: ModelEvent[] = [
      { type: 'HANDLER_START', process: p, wakeId: W },
      { type: 'OBSERVE', process: p, created: true },
      { type: 'HANDLE_WIRED', process: p, restored: false, empty: false },
      { type: 'OBSERVE_RESOLVED', process: p, wired: true },
    ];
    const commit: ModelEvent = { type: 'MANIFEST_COMMITTED', process: p };
    const returned: ModelEvent = { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'returned' };
    const stored: ModelEvent = { type: 'MANIFEST_STORED' };
    expect(run('retry', false, [...wired, stored, commit]).rejectedAt).toBe(wired.length + 1);
    expect(run('retry', false, [...wired, returned, stored, commit, { type: 'LEASE_RELEASED' }, { type: 'WAKE_ACKED', process: p, wakeId: W }])).toMatchObject({ rejectedAt: -1, state: 'done' });
    // The runtime may say it committed only what the agents server stored.
    expect(run('retry', false, [...wired, returned, commit]).rejectedAt).toBe(wired.length + 1);
    // Nothing on a wired handle fails a wake whose handler returned, unless the agents server can fail.
    expect(run('retry', false, [...wired, returned, { type: 'WAKE_FAILED', process: p, wakeId: W }]).rejectedAt).toBe(wired.length + 1);
  });
  it('handler-signal: a handler that ended on the lost claim after a wired observe leaves the wake given up, only when the runtime said the claim was lost and tells the handler', () => {
    const wired: ModelEvent[] = [
      { type: 'HANDLER_START', process: p, wakeId: W },
      { type: 'OBSERVE', process: p, created: true },
      { type: 'HANDLE_WIRED', process: p, restored: false, empty: false },
      { type: 'OBSERVE_RESOLVED', process: p, wired: true },
    ];
    const lost: ModelEvent = { type: 'CLAIM_LOST', process: p, wakeId: W };
    const threw: ModelEvent = { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'threw' };
    const givenUp: ModelEvent[] = [{ type: 'LEASE_RELEASED' }, { type: 'WAKE_ACKED', process: p, wakeId: W }, { type: 'WAKE_ABANDONED', process: p, wakeId: W }];
    const abandoned: ModelEvent = { type: 'WAKE_ABANDONED', process: p, wakeId: W };
    const fenced = { wiring: 'retry', restored: false, leaseMayBeLost: true, leaseFence: true };
    const told = { ...fenced, handlerSignal: true };
    expect(drive(wiringChainMachine, told, [...wired, lost, threw, ...givenUp])).toMatchObject({ rejectedAt: -1, state: 'done' });
    // Without the signal the handler was not told, so it did not end on the lost claim.
    expect(drive(wiringChainMachine, fenced, [...wired, lost, threw, ...givenUp]).rejectedAt).toBe(wired.length + 2);
    // A handler that threw while the claim was still the wake's fails the wake; it is not given up.
    expect(drive(wiringChainMachine, told, [...wired, threw, ...givenUp]).rejectedAt).toBe(wired.length + 1);
    expect(drive(wiringChainMachine, told, [...wired, threw, abandoned]).rejectedAt).toBe(wired.length + 1);
    // A claim the server refused: no done, the wake is abandoned after the handler, not before, and not after one that returned.
    expect(drive(wiringChainMachine, { ...told, leaseFence: false }, [...wired, lost, threw, abandoned])).toMatchObject({ rejectedAt: -1, state: 'done' });
    expect(drive(wiringChainMachine, told, [...wired, lost, abandoned]).rejectedAt).toBe(wired.length + 1);
    expect(drive(wiringChainMachine, told, [...wired, lost, { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'returned' }, abandoned]).rejectedAt).toBe(wired.length + 2);
  });
});

describe('wakeStream', () => {
  const o = (n: number) => `0000000000000000_${String(n).padStart(16, '0')}`;
  const noResume = { offsetMode: 'minus-one', resumeSource: 'none' };
  const reported = { offsetMode: 'durable', resumeSource: 'reported' };
  const read = (process: string, from: string, first: boolean, ...offsets: string[]): ModelEvent => ({ type: 'WAKE_STREAM_READ', process, from, first, offsets });
  it('issues one wake at a time: no wake event while one is outstanding', () => {
    const events: ModelEvent[] = [{ type: 'WAKE_APPENDED', offset: o(1) }, { type: 'LEASE_GRANTED' }, { type: 'WAKE_APPENDED', offset: o(2) }];
    expect(drive(wakeStreamMachine, noResume, events).rejectedAt).toBe(2);
    expect(drive(wakeStreamMachine, noResume, [{ type: 'WAKE_APPENDED', offset: o(1) }, { type: 'WAKE_APPENDED', offset: o(2) }]).rejectedAt).toBe(1);
  });
  const firstReaderProcessesOne: ModelEvent[] = [
    { type: 'WAKE_APPENDED', offset: o(1) },
    { type: 'REGISTERED', process: 'host#1', resumeOffset: null },
    read('host#1', '-1', true, o(1)),
    { type: 'LEASE_GRANTED' },
    { type: 'CLAIM_ANSWERED', process: 'host#1', outcome: 'granted', wakeId: 'w1' },
    { type: 'DONE_RECEIVED', process: 'host#1', wakeId: 'w1', applied: true, nextWake: false },
    { type: 'LEASE_RELEASED' },
  ];
  it('enters the replay violation when the service serves a later reader a wake an earlier one processed', () => {
    const events: ModelEvent[] = [...firstReaderProcessesOne, { type: 'REGISTERED', process: 'host#2', resumeOffset: null }, read('host#2', '-1', true, o(1))];
    const result = drive(wakeStreamMachine, noResume, events);
    expect(result.rejectedAt).toBe(-1);
    expect(result.tags).toContain('wake-replay');
    // Not before the earlier reader's done: a granted wake is processed only when done.
    const beforeDone = [...firstReaderProcessesOne.slice(0, 5), read('host#2', '-1', true, o(1))];
    expect(drive(wakeStreamMachine, noResume, beforeDone).tags).not.toContain('wake-replay');
    // A done the server refused (its token lost to a restart, or fenced) still ends the reader's work on the wake.
    const refused = firstReaderProcessesOne.map((event) => (event.type === 'DONE_RECEIVED' ? { ...event, applied: false } : event));
    expect(drive(wakeStreamMachine, noResume, [...refused, { type: 'REGISTERED', process: 'host#2', resumeOffset: null }, read('host#2', '-1', true, o(1))]).tags).toContain('wake-replay');
  });
  it('resume-offset=reported: registration returns the stored heartbeat, and nothing else', () => {
    const resumed: ModelEvent[] = [...firstReaderProcessesOne, { type: 'HEARTBEAT_STORED', process: 'host#1', offset: o(1) }, { type: 'REGISTERED', process: 'host#2', resumeOffset: o(1) }];
    expect(drive(wakeStreamMachine, reported, resumed).rejectedAt).toBe(-1);
    expect(drive(wakeStreamMachine, reported, [...firstReaderProcessesOne, { type: 'REGISTERED', process: 'host#2', resumeOffset: o(1) }]).rejectedAt).toBe(firstReaderProcessesOne.length);
  });
  it('serves a reader only appended wakes, after where it started, each once; claims answer served wakes', () => {
    expect(drive(wakeStreamMachine, noResume, [read(p, '-1', true, o(9))]).rejectedAt).toBe(0);
    const once = [{ type: 'WAKE_APPENDED', offset: o(1) } as ModelEvent, read(p, '-1', true, o(1))];
    expect(drive(wakeStreamMachine, noResume, [...once, read(p, o(1), false, o(1))]).rejectedAt).toBe(2);
    expect(drive(wakeStreamMachine, noResume, [{ type: 'WAKE_APPENDED', offset: o(1) }, read(p, o(1), true, o(1))]).rejectedAt).toBe(1);
    expect(drive(wakeStreamMachine, noResume, [{ type: 'CLAIM_ANSWERED', process: p, outcome: 'skipped', wakeId: null }]).rejectedAt).toBe(0);
  });
  it('pending-wake=answer-only: a wake a done issued without an event is claimed on the answer, and the prefixes keep every event', () => {
    const claimedSeek = { offsetMode: 'server-seek', resumeSource: 'claimed-seek' };
    const unannouncedThenClaimed: ModelEvent[] = [
      { type: 'WAKE_APPENDED', offset: o(1) },
      // Not claimed yet: the claimed prefix ends before it.
      { type: 'REGISTERED', process: 'host#1', resumeOffset: '-1' },
      ...firstReaderProcessesOne.slice(2),
      { type: 'WAKE_UNANNOUNCED' },
      // No reader was served it, nothing is appended, and nobody holds it yet: every appended event is claimed.
      { type: 'REGISTERED', process: 'host#2', resumeOffset: o(1) },
      { type: 'LEASE_GRANTED' },
      { type: 'CLAIM_ANSWERED', process: 'host#1', outcome: 'granted', wakeId: 'w2' },
      { type: 'DONE_RECEIVED', process: 'host#1', wakeId: 'w2', applied: true, nextWake: false },
      { type: 'LEASE_RELEASED' },
    ];
    const result = drive(wakeStreamMachine, claimedSeek, unannouncedThenClaimed);
    expect(result.rejectedAt).toBe(-1);
    expect(result.state).toBe('lease.idle+resume.tracking+replay.clean');
    // A wake with an event, by contrast, is not claimed while its event was never served: the grant has no wake to answer.
    const announced = [...firstReaderProcessesOne, { type: 'WAKE_APPENDED', offset: o(2) } as ModelEvent, { type: 'LEASE_GRANTED' } as ModelEvent, { type: 'CLAIM_ANSWERED', process: 'host#1', outcome: 'granted', wakeId: 'w2' } as ModelEvent];
    expect(drive(wakeStreamMachine, noResume, announced).rejectedAt).toBe(announced.length - 1);
  });
  it('next-wake=claim: a done answered next_wake lets that process be granted the next wake before it reads its event', () => {
    const withNextWake = (nextWake: boolean, claimant: string): ModelEvent[] => [
      { type: 'WAKE_APPENDED', offset: o(1) },
      { type: 'REGISTERED', process: 'host#1', resumeOffset: null },
      read('host#1', '-1', true, o(1)),
      { type: 'LEASE_GRANTED' },
      { type: 'CLAIM_ANSWERED', process: 'host#1', outcome: 'granted', wakeId: 'w1' },
      // The done issues the next wake at once: its event is appended, and the answer says so.
      { type: 'LEASE_RELEASED' },
      { type: 'WAKE_APPENDED', offset: o(2) },
      { type: 'DONE_RECEIVED', process: 'host#1', wakeId: 'w1', applied: true, nextWake },
      // The claim on the answer is granted before the process reads the event.
      { type: 'LEASE_GRANTED' },
      { type: 'CLAIM_ANSWERED', process: claimant, outcome: 'granted', wakeId: 'w2' },
    ];
    expect(drive(wakeStreamMachine, noResume, withNextWake(true, 'host#1')).rejectedAt).toBe(-1);
    // Without the answer, or for another process, a grant of a wake never served still has nothing to answer.
    expect(drive(wakeStreamMachine, noResume, withNextWake(false, 'host#1')).rejectedAt).toBe(withNextWake(false, 'host#1').length - 1);
    expect(drive(wakeStreamMachine, noResume, withNextWake(true, 'host#2')).rejectedAt).toBe(withNextWake(true, 'host#2').length - 1);
  });
});

describe('serverRunner', () => {
  const read = (from: string, first = true): ModelEvent => ({ type: 'WAKE_STREAM_READ', process: p, from, first, offsets: [] });
  const registered = (resumeOffset: string | null): ModelEvent => ({ type: 'REGISTERED', process: p, resumeOffset });
  it("starts reading where the offset switch says, whatever the runtime", () => {
    expect(drive(serverRunnerMachine, { offsetMode: 'minus-one' }, [registered(null), read('-1')]).state).toBe('reading');
    expect(drive(serverRunnerMachine, { offsetMode: 'minus-one' }, [registered(null), read('now')]).rejectedAt).toBe(1);
    expect(drive(serverRunnerMachine, { offsetMode: 'tail' }, [registered(null), read('now')]).state).toBe('reading');
    const o1 = '0000000000000000_0000000000000100';
    expect(drive(serverRunnerMachine, { offsetMode: 'durable' }, [registered(o1), read(o1)]).state).toBe('reading');
    expect(drive(serverRunnerMachine, { offsetMode: 'durable' }, [registered(o1), read('-1')]).rejectedAt).toBe(1);
    expect(drive(serverRunnerMachine, { offsetMode: 'durable' }, [registered(null), read('-1')]).state).toBe('reading');
    // A runtime without the switch may start at -1, at the tail, or where registration said; nowhere else.
    for (const from of ['-1', 'now', o1]) expect(drive(serverRunnerMachine, { offsetMode: undefined }, [registered(o1), read(from)]).state, from).toBe('reading');
    expect(drive(serverRunnerMachine, { offsetMode: undefined }, [registered(null), read(o1)]).rejectedAt).toBe(1);
  });
  it('reads only after registering; a process that died still has its requests answered', () => {
    expect(drive(serverRunnerMachine, { offsetMode: 'minus-one' }, [read('-1')]).rejectedAt).toBe(0);
    const crashed: ModelEvent[] = [registered(null), read('-1'), { type: 'PROCESS_EXIT', process: p, reason: 'crash' }, read('-1', false)];
    expect(drive(serverRunnerMachine, { offsetMode: 'minus-one' }, crashed)).toMatchObject({ rejectedAt: -1, state: 'crashed' });
  });
});

describe('digestEntity', () => {
  const input = (idempotency: string) => ({ idempotency, catchUp: 'newest', serverMayFail: false });
  const handler = (wired: boolean): ModelEvent[] => [
    { type: 'HANDLER_START', process: p, wakeId: W },
    { type: 'OBSERVE_RESOLVED', process: p, wired },
  ];
  const due: ModelEvent = { type: 'OCCURRENCE_DUE', occurrence: 0 };
  const check = (verdict: 'posted' | 'not-posted' | 'unknown'): ModelEvent => ({ type: 'CHECK', process: p, occurrence: 0, verdict });
  it('requires the verdict the idempotency check must reach on an unwired handle', () => {
    expect(drive(digestEntityMachine, input('raw-collection'), [due, ...handler(false), check('not-posted')]).rejectedAt).toBe(-1);
    expect(drive(digestEntityMachine, input('wired-gate'), [due, ...handler(false), check('not-posted')]).rejectedAt).toBe(3);
    expect(drive(digestEntityMachine, input('public-read'), [due, ...handler(false), check('not-posted')]).rejectedAt).toBe(3);
  });
  it('on a wired handle, requires what the service served the process: a row stored before its read shows', () => {
    const stored: ModelEvent = { type: 'OCCURRENCE_STORED', occurrence: 0 };
    const readOk: ModelEvent = { type: 'SHARED_READ', process: p, ok: true };
    expect(drive(digestEntityMachine, input('raw-collection'), [due, stored, readOk, ...handler(true), check('posted')]).rejectedAt).toBe(-1);
    expect(drive(digestEntityMachine, input('raw-collection'), [due, stored, readOk, ...handler(true), check('not-posted')]).rejectedAt).toBe(5);
    // A read that failed (an empty wiring) shows nothing: "not posted" is what such a handle says.
    expect(drive(digestEntityMachine, input('raw-collection'), [due, stored, { type: 'SHARED_READ', process: p, ok: false }, ...handler(true), check('not-posted')]).rejectedAt).toBe(-1);
  });
  it('tags each occurrence posted a second time as a duplicate, once', () => {
    const postAndThrow: ModelEvent[] = [...handler(false), check('not-posted'), { type: 'ACTION', occurrence: 0 }, { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'threw' }];
    const result = drive(digestEntityMachine, input('raw-collection'), [due, ...postAndThrow, ...postAndThrow]);
    expect(result.rejectedAt).toBe(-1);
    expect(result.tags).toContain('duplicate-action');
  });
  it('a handler cannot throw between a post on a wired handle and its record, nor end before its post lands', () => {
    const posted: ModelEvent[] = [due, { type: 'SHARED_READ', process: p, ok: true }, ...handler(true), check('not-posted')];
    const threw: ModelEvent = { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'threw' };
    expect(drive(digestEntityMachine, input('raw-collection'), [...posted, threw]).rejectedAt).toBe(posted.length);
    expect(drive(digestEntityMachine, input('raw-collection'), [...posted, { type: 'ACTION', occurrence: 0 }, threw]).rejectedAt).toBe(posted.length + 1);
    expect(drive(digestEntityMachine, { idempotency: 'raw-collection', catchUp: 'newest', serverMayFail: true }, [...posted, { type: 'ACTION', occurrence: 0 }, threw]).rejectedAt).toBe(-1);
  });
  it('refuses a post nobody checked for', () => {
    expect(drive(digestEntityMachine, input('raw-collection'), [...handler(true), { type: 'ACTION', occurrence: 0 }]).rejectedAt).toBe(2);
  });

  describe('catch-up=every-due: each due occurrence checked, oldest first, each post recorded before the next check', () => {
    const everyDue = { idempotency: 'raw-collection', catchUp: 'every-due', serverMayFail: false };
    const days: ModelEvent[] = [due, { type: 'OCCURRENCE_DUE', occurrence: 1 }, { type: 'SHARED_READ', process: p, ok: true }];
    const checkOf = (occurrence: number, verdict: 'posted' | 'not-posted' | 'unknown'): ModelEvent => ({ type: 'CHECK', process: p, occurrence, verdict });
    const postAndRecord = (occurrence: number): ModelEvent[] => [
      checkOf(occurrence, 'not-posted'),
      { type: 'ACTION', occurrence },
      { type: 'OCCURRENCE_STORED', occurrence },
      { type: 'RECORDED', process: p, occurrence },
    ];
    const returned: ModelEvent = { type: 'HANDLER_END', process: p, wakeId: W, outcome: 'returned' };
    it('posts both days of one wake; the newest-only model refuses the second check', () => {
      const wake = [...days, ...handler(true), ...postAndRecord(0), ...postAndRecord(1), returned];
      expect(drive(digestEntityMachine, everyDue, wake)).toMatchObject({ rejectedAt: -1, state: expect.stringContaining('idle') });
      expect(drive(digestEntityMachine, input('raw-collection'), wake).rejectedAt).toBe(days.length + 2);
    });
    it('refuses a check out of order, a check before the post before it was recorded, and a return before every due day was checked', () => {
      expect(drive(digestEntityMachine, everyDue, [...days, ...handler(true), checkOf(1, 'not-posted')]).rejectedAt).toBe(days.length + 2);
      const posted = [...days, ...handler(true), checkOf(0, 'not-posted'), { type: 'ACTION', occurrence: 0 } as ModelEvent];
      expect(drive(digestEntityMachine, everyDue, [...posted, checkOf(1, 'not-posted')]).rejectedAt).toBe(posted.length);
      const first = [...days, ...handler(true), ...postAndRecord(0)];
      expect(drive(digestEntityMachine, everyDue, [...first, returned]).rejectedAt).toBe(first.length);
    });
    it('a check that says to do nothing this wake (wired-gate, unwired) is its last', () => {
      const gate = { ...everyDue, idempotency: 'wired-gate' };
      expect(drive(digestEntityMachine, gate, [...days, ...handler(false), checkOf(0, 'unknown'), returned]).rejectedAt).toBe(-1);
      expect(drive(digestEntityMachine, gate, [...days, ...handler(false), checkOf(0, 'unknown'), checkOf(1, 'unknown')]).rejectedAt).toBe(days.length + 3);
    });
  });

  it('marks two handlers at once as the concurrent-wake violation, and still judges their posts', () => {
    const overlapping = drive(digestEntityMachine, input('raw-collection'), [...handler(true), { type: 'HANDLER_START', process: 'host#2', wakeId: 'w2' }]);
    expect(overlapping.rejectedAt).toBe(-1);
    expect(overlapping.tags).toContain('concurrent-wake');
  });
});

describe('SystemModel', () => {
  it('refuses a second wake of the entity while the first holds its lease', () => {
    const model = new SystemModel({ wiring: 'retry', offset: 'durable', idempotency: 'raw-collection' }, DEFAULT_FAULT_KINDS);
    expect(model.apply({ type: 'WAKE_START', process: p, wakeId: 'sub/1' })).toBeUndefined();
    const failure = model.apply({ type: 'WAKE_START', process: p, wakeId: 'sub/2' });
    expect(failure?.machine).toBe('wiringChain');
    expect(failure?.machineState).toContain('sub/1 still active');
  });
});
