import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { track } from '../simHelpers.ts';
import { worldFixture } from './worldFixture.ts';

describe('slow-handler: the handler\'s process stalls', () => {
  it('for the drawn time (the shortest is the ordinary answer), as a task of that process', async () => {
    const { world, process, runUntil, kinds } = worldFixture(['slow-handler']);
    world.arm('slow-handler');
    const stall = track(world.handlerStalls.stall(process, 'after observe'));
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMinMs - 1);
    expect(stall.settled).toBe(false);
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMinMs);
    expect(stall.settled).toBe(true);
    expect(kinds('fault')[0]?.detail).toMatchObject({ kind: 'slow-handler', host: 'host#1', stallMs: DEFAULT_FAULT_OPTIONS.slowHandlerMinMs });
  });

  it('a process that dies during its stall never resumes', async () => {
    const { world, process, runUntil } = worldFixture(['slow-handler']);
    world.arm('slow-handler');
    const stall = track(world.handlerStalls.stall(process, 'after observe'));
    process.exit('crash');
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMaxMs + 1);
    expect(stall.settled).toBe(false);
  });

  it('a stall given a signal ends when it aborts, with its reason, and says so', async () => {
    const { world, process, runUntil, kinds } = worldFixture(['slow-handler']);
    world.arm('slow-handler');
    const controller = new AbortController();
    const stall = track(world.handlerStalls.stall(process, 'after observe', controller.signal));
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMinMs - 500);
    expect(stall.settled).toBe(false);
    const reason = new Error('lease lost');
    controller.abort(reason);
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMinMs - 499);
    expect(stall).toMatchObject({ settled: true, error: reason });
    expect(kinds('slow-handler-aborted')[0]?.detail).toMatchObject({ host: 'host#1', afterMs: DEFAULT_FAULT_OPTIONS.slowHandlerMinMs - 500, stallMs: DEFAULT_FAULT_OPTIONS.slowHandlerMinMs });
  });

  it('a stall whose signal never aborts lasts the drawn time, and a signal aborted before it starts ends it at once', async () => {
    const { sim, world, process, runUntil, kinds } = worldFixture(['slow-handler']);
    world.arm('slow-handler');
    const calm = track(world.handlerStalls.stall(process, 'after observe', new AbortController().signal));
    await runUntil(DEFAULT_FAULT_OPTIONS.slowHandlerMinMs);
    expect(calm).toMatchObject({ settled: true, value: undefined });
    world.arm('slow-handler');
    const aborted = AbortSignal.abort(new Error('gone'));
    const early = track(world.handlerStalls.stall(process, 'after observe', aborted));
    await Promise.resolve();
    expect(early).toMatchObject({ settled: true, error: aborted.reason });
    expect(kinds('slow-handler-aborted')[0]?.detail).toMatchObject({ afterMs: 0 });
    expect(sim.scheduler.pendingTasks()).toEqual([]);
    expect(kinds('slow-handler-aborted')).toHaveLength(1);
  });

  it('without the fault, no stall and no question', async () => {
    const { sim, world, process } = worldFixture(['redeploy']);
    await world.handlerStalls.stall(process, 'after observe');
    expect(sim.choices.recorded).toEqual([]);
  });
});
