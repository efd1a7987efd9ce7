import { describe, expect, it } from 'vitest';
import { PlatformFaults } from '../../../world/faults/PlatformFaults.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { HostSupervisor, type HostLauncher } from '../../../world/process/HostSupervisor.ts';
import { worldFixture } from './worldFixture.ts';

/** How long the fake host takes to stop after SIGTERM. */
const STOP_MS = 100;
const { hostRestartDelayMinMs: START_DELAY_MS } = DEFAULT_FAULT_OPTIONS;

/** Two host slots (runners `runner-1`, `runner-2`), each with its first process started, under one platform. */
function twoSlots(script: readonly number[] = []) {
  const fixture = worldFixture(['redeploy', 'rolling-deploy', 'crash'], script);
  const { sim, world } = fixture;
  const launch: HostLauncher = (process, sigterm) => ({
    stopped: new Promise<void>((resolve) => sigterm.addEventListener('abort', () => void sim.scheduler.schedule(STOP_MS, process.name, 'stopped', resolve))),
  });
  const slots = ['runner-1', 'runner-2'].map((runner) => new HostSupervisor(world, launch, { runner }));
  for (const slot of slots) slot.startHost();
  const platform = new PlatformFaults(world, slots);
  const live = () => slots.flatMap((slot) => slot.liveProcesses.map((process) => process.name));
  return { ...fixture, slots, platform, live };
}

describe('PlatformFaults with several host slots', () => {
  it("names each slot's processes after its runner, and its process-start says which runner", () => {
    const { live, kinds } = twoSlots();
    expect(live()).toEqual(['runner-1/host#1', 'runner-2/host#1']);
    expect(kinds('process-start').filter((event) => event.actor !== 'host#1').map((event) => event.detail)).toEqual([{ runner: 'runner-1' }, { runner: 'runner-2' }]);
  });

  it("a crash at a moment a process concerns kills that process and restarts it in its own slot; the other slot runs on", async () => {
    const { platform, runUntil, live, sim } = twoSlots();
    const drawnBefore = sim.choices.recorded.length;
    platform.strike('crash', 'runner-2/host#1');
    await runUntil(START_DELAY_MS + 1);
    expect(live()).toEqual(['runner-1/host#1', 'runner-2/host#2']);
    // The slot was the process's: no slot was drawn (only the restart delay was).
    expect(sim.choices.recorded.length - drawnBefore).toBe(1);
  });

  it('a redeploy at a moment a process concerns replaces a process of that slot', async () => {
    const { platform, runUntil, live } = twoSlots();
    platform.strike('redeploy', 'runner-2/host#1');
    await runUntil(STOP_MS + START_DELAY_MS + 1);
    expect(live()).toEqual(['runner-1/host#1', 'runner-2/host#2']);
  });

  it('a fault that names no process (a timed one) strikes the slot drawn for it', async () => {
    // The slot: the second; then the shortest restart delay.
    const { platform, runUntil, live, kinds } = twoSlots([1]);
    platform.strike('crash');
    await runUntil(START_DELAY_MS + 1);
    expect(live()).toEqual(['runner-1/host#1', 'runner-2/host#2']);
    expect(kinds('fault').map((event) => event.detail['host'])).toEqual(['runner-2/host#1']);
  });

  it('one slot draws no slot: a one-runner world keeps its choices', async () => {
    const fixture = worldFixture(['crash']);
    const supervisor = new HostSupervisor(fixture.world, () => ({ stopped: Promise.resolve() }));
    supervisor.startHost();
    const platform = new PlatformFaults(fixture.world, supervisor);
    platform.strike('crash');
    await fixture.runUntil(START_DELAY_MS + 1);
    expect(fixture.sim.choices.recorded).toHaveLength(1);
    expect(supervisor.liveProcesses.map((process) => process.name)).toEqual(['host#2']);
  });
});
