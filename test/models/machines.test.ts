import { createActor, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { digestEntityMachine } from '../../models/digestEntity.ts';
import type { ModelEvent } from '../../models/modelEvents.ts';
import { runnerLifecycleMachine } from '../../models/runnerLifecycle.ts';
import { stateName, SystemModel } from '../../models/systemModel.ts';
import { wakeStreamMachine } from '../../models/wakeStream.ts';
import { wiringChainMachine } from '../../models/wiringChain.ts';
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
});

describe('wakeStream', () => {
  const o = (n: number) => `0000000000000000_${String(n).padStart(16, '0')}`;
  const minusOne = { offsetMode: 'minus-one' };
  const durable = { offsetMode: 'durable' };
  const runnerStart = (process: string, startOffset: string): ModelEvent => ({ type: 'RUNNER_START', process, start: startOffset === '-1' ? 'beginning' : 'registered', startOffset, registered: startOffset !== '-1' });
  it('appends wakes only while unleased', () => {
    const events: ModelEvent[] = [{ type: 'WAKE_APPENDED', offset: o(1) }, { type: 'LEASE_GRANTED' }, { type: 'WAKE_APPENDED', offset: o(2) }];
    expect(drive(wakeStreamMachine, minusOne, events).rejectedAt).toBe(2);
  });
  const firstRunnerProcessesOne: ModelEvent[] = [
    { type: 'WAKE_APPENDED', offset: o(1) },
    { type: 'REGISTERED', resumeOffset: null },
    runnerStart('host#1', '-1'),
    { type: 'WAKE_READ', process: 'host#1', offset: o(1) },
    { type: 'CLAIM_SETTLED', process: 'host#1', offset: o(1), dispatched: true },
  ];
  it('enters the replay violation when a later runner re-reads a processed wake (minus-one)', () => {
    const events: ModelEvent[] = [
      ...firstRunnerProcessesOne,
      { type: 'REGISTERED', resumeOffset: null },
      runnerStart('host#2', '-1'),
      { type: 'WAKE_READ', process: 'host#2', offset: o(1) },
    ];
    const result = drive(wakeStreamMachine, minusOne, events);
    expect(result.rejectedAt).toBe(-1);
    expect(result.tags).toContain('wake-replay');
  });
  it('durable: registration returns the stored heartbeat, the runner starts there and cannot read behind it', () => {
    const resumed: ModelEvent[] = [
      ...firstRunnerProcessesOne,
      { type: 'HEARTBEAT_STORED', offset: o(1) },
      { type: 'REGISTERED', resumeOffset: o(1) },
      runnerStart('host#2', o(1)),
    ];
    expect(drive(wakeStreamMachine, durable, resumed).rejectedAt).toBe(-1);
    expect(drive(wakeStreamMachine, durable, [...resumed, { type: 'WAKE_READ', process: 'host#2', offset: o(1) }]).rejectedAt).toBe(resumed.length);
    // Registration may not hand back anything but what the server stored.
    expect(drive(wakeStreamMachine, durable, [...firstRunnerProcessesOne, { type: 'REGISTERED', resumeOffset: o(1) }]).rejectedAt).toBe(firstRunnerProcessesOne.length);
  });
  it('refuses a read of a wake that was never appended', () => {
    expect(drive(wakeStreamMachine, minusOne, [{ type: 'REGISTERED', resumeOffset: null }, runnerStart(p, '-1'), { type: 'WAKE_READ', process: p, offset: o(9) }]).rejectedAt).toBe(2);
  });
});

describe('digestEntity', () => {
  const wake = (wired: boolean): ModelEvent[] => [
    { type: 'WAKE_START', process: p, wakeId: W },
    { type: 'OBSERVE_RESOLVED', process: p, wired },
  ];
  it('requires the verdict the idempotency check must reach', () => {
    const due: ModelEvent = { type: 'OCCURRENCE_DUE', occurrence: 0 };
    const check = (verdict: 'posted' | 'not-posted' | 'unknown'): ModelEvent => ({ type: 'CHECK', process: p, occurrence: 0, verdict });
    expect(drive(digestEntityMachine, { idempotency: 'raw-collection' }, [due, ...wake(false), check('not-posted')]).rejectedAt).toBe(-1);
    expect(drive(digestEntityMachine, { idempotency: 'wired-gate' }, [due, ...wake(false), check('not-posted')]).rejectedAt).toBe(3);
    expect(drive(digestEntityMachine, { idempotency: 'public-read' }, [due, ...wake(false), check('not-posted')]).rejectedAt).toBe(3);
  });
  it('tags a second post of an occurrence as a duplicate', () => {
    const postAndFail: ModelEvent[] = [
      ...wake(false),
      { type: 'CHECK', process: p, occurrence: 0, verdict: 'not-posted' },
      { type: 'ACTION', occurrence: 0 },
      { type: 'WAKE_FAILED', process: p, wakeId: W },
      { type: 'LEASE_RELEASED' },
    ];
    const result = drive(digestEntityMachine, { idempotency: 'raw-collection' }, [{ type: 'OCCURRENCE_DUE', occurrence: 0 }, ...postAndFail, ...postAndFail]);
    expect(result.rejectedAt).toBe(-1);
    expect(result.tags).toContain('duplicate-action');
  });
  it('a wake cannot fail between a post on a wired handle and its record', () => {
    const events: ModelEvent[] = [
      { type: 'OCCURRENCE_DUE', occurrence: 0 },
      ...wake(true),
      { type: 'CHECK', process: p, occurrence: 0, verdict: 'not-posted' },
      { type: 'ACTION', occurrence: 0 },
      { type: 'WAKE_FAILED', process: p, wakeId: W },
    ];
    expect(drive(digestEntityMachine, { idempotency: 'raw-collection' }, events).rejectedAt).toBe(5);
  });
  it('refuses a post nobody checked for', () => {
    expect(drive(digestEntityMachine, { idempotency: 'raw-collection' }, [...wake(true), { type: 'ACTION', occurrence: 0 }]).rejectedAt).toBe(2);
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
