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

  it('without the fault, no stall and no question', async () => {
    const { sim, world, process } = worldFixture(['redeploy']);
    await world.handlerStalls.stall(process, 'after observe');
    expect(sim.choices.recorded).toEqual([]);
  });
});
