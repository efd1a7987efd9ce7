import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import { Scheduler } from '../../sim/scheduler/Scheduler.ts';

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
    expect(await runLoop(scheduler, { horizonMs: 1e9, maxSteps: 1000, maxTraceEvents: 10 }, undefined, undefined, () => traced)).toBe('trace-budget');
    expect([scheduler.steps, traced]).toEqual([4, 12]);
    await expect(runLoop(scheduler, { horizonMs: 1e9, maxSteps: 1000, maxTraceEvents: 10 })).rejects.toThrow(TypeError);
  });
});
