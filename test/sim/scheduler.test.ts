import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import { Scheduler } from '../../sim/scheduler/Scheduler.ts';
import { MicrotaskSpinError } from '../../sim/trace/stepSpin.ts';
import { Trace } from '../../sim/trace/Trace.ts';

describe('Scheduler', () => {
  it('runs tasks in virtual-time order and advances the clock', () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const seen: string[] = [];
    scheduler.schedule(30, 'a', 'late', () => seen.push(`late@${scheduler.nowMs}`));
    scheduler.schedule(10, 'a', 'early', () => seen.push(`early@${scheduler.nowMs}`));
    while (scheduler.step()) {}
    expect(seen).toEqual(['early@10', 'late@30']);
    expect(scheduler.steps).toBe(2);
  });

  it('lets the choice source order simultaneous tasks (0 = first scheduled)', () => {
    const order = (script: number[]): string[] => {
      const scheduler = new Scheduler(new RecordedChoiceSource(script));
      const seen: string[] = [];
      for (const name of ['x', 'y', 'z']) scheduler.schedule(5, 'a', name, () => seen.push(name));
      while (scheduler.step()) {}
      return seen;
    };
    expect(order([])).toEqual(['x', 'y', 'z']);
    expect(order([2, 1])).toEqual(['z', 'y', 'x']);
  });

  it('cancels single tasks and whole actors', () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const seen: string[] = [];
    const handle = scheduler.schedule(1, 'p1', 'one', () => seen.push('one'));
    scheduler.schedule(2, 'p2', 'two', () => seen.push('two'));
    scheduler.schedule(3, 'p2', 'three', () => seen.push('three'));
    scheduler.schedule(4, 'p3', 'four', () => seen.push('four'));
    scheduler.cancel(handle);
    scheduler.cancelActor('p2');
    while (scheduler.step()) {}
    expect(seen).toEqual(['four']);
  });

  it('refuses a negative or non-finite delay', () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    expect(() => scheduler.schedule(-1, 'a', 'bad', () => {})).toThrow(/invalid task delay/);
    expect(() => scheduler.schedule(Number.NaN, 'a', 'bad', () => {})).toThrow(/invalid task delay/);
  });
});

describe('runLoop', () => {
  it('drains promise continuations of a step before the next step', async () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const seen: string[] = [];
    scheduler.schedule(1, 'a', 'first', () => {
      // A long promise chain started by the first task must finish before the simultaneous second task runs.
      let chain = Promise.resolve();
      for (let index = 0; index < 200; index += 1) chain = chain.then(() => {});
      void chain.then(() => seen.push('chain of first'));
    });
    scheduler.schedule(1, 'a', 'second', () => seen.push('second'));
    await runLoop(scheduler, { horizonMs: 10, maxSteps: 10 });
    expect(seen).toEqual(['chain of first', 'second']);
  });

  it('stops at the horizon, when idle, and at the step budget', async () => {
    const endless = (): Scheduler => {
      const scheduler = new Scheduler(new RecordedChoiceSource([]));
      const tick = (): void => void scheduler.schedule(10, 'clock', 'tick', tick);
      tick();
      return scheduler;
    };
    expect(await runLoop(endless(), { horizonMs: 55, maxSteps: 1000 })).toBe('horizon');
    expect(await runLoop(endless(), { horizonMs: 1e9, maxSteps: 7 })).toBe('step-budget');
    expect(await runLoop(new Scheduler(new RecordedChoiceSource([])), { horizonMs: 10, maxSteps: 10 })).toBe('idle');
  });

  it('stops at the trace budget, counted between steps, and refuses a trace budget nothing counts', async () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    let traced = 0;
    // Each tick records three events: the loop sees the count only between steps.
    const tick = (): void => {
      traced += 3;
      scheduler.schedule(10, 'clock', 'tick', tick);
    };
    scheduler.schedule(10, 'clock', 'tick', tick);
    expect(await runLoop(scheduler, { horizonMs: 1e9, maxSteps: 1000, maxTraceEvents: 10 }, undefined, undefined, { get observationCount() { return traced; } })).toBe('trace-budget');
    expect([scheduler.steps, traced]).toEqual([4, 12]);
    await expect(runLoop(scheduler, { horizonMs: 1e9, maxSteps: 1000, maxTraceEvents: 10 })).rejects.toThrow(TypeError);
  });

  it('ends a step that loops in microtasks where the loop records, and reports the step (sim/trace/stepSpin.ts)', async () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const trace = new Trace(scheduler, { maxEventsPerStep: 50, dropAnnotations: true });
    let attempts = 0;
    let stoppedBy: unknown;
    // A retry loop whose every wait ends at once, as a backoff does on a signal already aborted: no step ever ends.
    const retryForever = async (): Promise<void> => {
      for (;;) {
        attempts += 1;
        trace.annotate('host#1', 'attempt-failed', { attempt: attempts });
        await Promise.resolve();
      }
    };
    scheduler.schedule(10, 'host#1', 'retry', () => void retryForever().catch((error: unknown) => (stoppedBy = error)));
    scheduler.schedule(20, 'clock', 'later', () => void trace.record('clock', 'tick'));
    expect(await runLoop(scheduler, { horizonMs: 1e9, maxSteps: 1000 }, undefined, undefined, trace)).toBe('spin');
    // Counted though annotations are dropped; the step's 51st recording threw into the loop, which ended.
    expect(attempts).toBe(51);
    expect(stoppedBy).toBeInstanceOf(MicrotaskSpinError);
    expect(trace.spin).toEqual({ step: 1, atMs: 10, actor: 'host#1', kind: 'attempt-failed' });
    expect(trace.events.map((event) => [event.step, event.kind, event.detail])).toEqual([[1, 'step-spin', { events: 50, actor: 'host#1', kind: 'attempt-failed' }]]);
    expect(() => trace.record('sim', 'run-end')).toThrow(MicrotaskSpinError);
    trace.endHalt();
    trace.record('sim', 'run-end');
    expect(trace.events).toHaveLength(2);
  });

  it('does not count a step that records within its limit, however many steps there are', async () => {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const trace = new Trace(scheduler, { maxEventsPerStep: 3 });
    const tick = (): void => {
      for (let event = 0; event < 3; event += 1) trace.record('clock', 'tick');
      scheduler.schedule(10, 'clock', 'tick', tick);
    };
    scheduler.schedule(10, 'clock', 'tick', tick);
    expect(await runLoop(scheduler, { horizonMs: 1e9, maxSteps: 100 }, undefined, undefined, trace)).toBe('step-budget');
    expect(trace.spin).toBeUndefined();
    expect(trace.events).toHaveLength(300);
  });
});
