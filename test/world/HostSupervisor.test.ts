import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';
import { HostSupervisor } from '../../world/process/HostSupervisor.ts';
import { World } from '../../world/World.ts';
import { makeSim } from './simHelpers.ts';

/** A world with a supervisor whose hosts never finish a graceful stop (the platform waits the whole grace period). */
function setup() {
  const sim = makeSim();
  const world = new World(sim, {
    faults: new Set(),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    resumeOffsetSource: 'none',
    leaseTtlMs: 30_000,
    longPollTimeoutMs: 20_000,
    chat: { honorIdempotencyKeys: false },
  });
  const supervisor = new HostSupervisor(world, () => ({ stopped: new Promise<void>(() => {}) }));
  const liveHosts = (): string[] => {
    const alive = new Set<string>();
    for (const event of sim.trace.events) {
      if (event.kind === 'process-start') alive.add(event.actor);
      if (event.kind === 'process-exit') alive.delete(event.actor);
    }
    return [...alive];
  };
  return { sim, supervisor, liveHosts };
}

describe('HostSupervisor', () => {
  it('a crash while a redeploy waits for the graceful stop replaces the host once: one host runs, not two', async () => {
    const { sim, supervisor, liveHosts } = setup();
    supervisor.startHost();
    sim.scheduler.schedule(1_000, 'test', 'redeploy', () => void supervisor.redeploy());
    sim.scheduler.schedule(2_000, 'test', 'crash', () => void supervisor.crash());
    await runLoop(sim.scheduler, { horizonMs: 120_000, maxSteps: 100 });
    expect(liveHosts()).toEqual(['host#2']);
    expect(supervisor.liveProcess?.name).toBe('host#2');
  });

  it('a redeploy whose stop outlives the grace period kills the host and starts the next one', async () => {
    const { sim, supervisor, liveHosts } = setup();
    supervisor.startHost();
    sim.scheduler.schedule(1_000, 'test', 'redeploy', () => void supervisor.redeploy());
    await runLoop(sim.scheduler, { horizonMs: 120_000, maxSteps: 100 });
    expect(sim.trace.events.some((event) => event.kind === 'stop-timed-out')).toBe(true);
    expect(liveHosts()).toEqual(['host#2']);
  });
});
