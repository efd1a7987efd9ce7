import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { HostSupervisor, type HostLauncher } from '../../../world/process/HostSupervisor.ts';
import { worldFixture } from './worldFixture.ts';

/** How long the fake host takes to stop after SIGTERM. */
const STOP_MS = 100;
const { hostRestartDelayMinMs: START_DELAY_MS, deployOverlapMinMs } = DEFAULT_FAULT_OPTIONS;

function supervised(script: readonly number[] = []) {
  const fixture = worldFixture(['redeploy', 'rolling-deploy', 'crash'], script);
  const { sim } = fixture;
  const launch: HostLauncher = (process, sigterm) => ({
    stopped: new Promise<void>((resolve) => sigterm.addEventListener('abort', () => void sim.scheduler.schedule(STOP_MS, process.name, 'stopped', resolve))),
  });
  const supervisor = new HostSupervisor(fixture.world, launch);
  supervisor.startHost();
  const live = () => supervisor.liveProcesses.map((process) => process.name);
  return { ...fixture, supervisor, live };
}

describe('HostSupervisor', () => {
  it('a redeploy stops the old process, then starts the new one: they never overlap', async () => {
    const { supervisor, runUntil, live } = supervised();
    void supervisor.redeploy();
    await runUntil(STOP_MS);
    expect(live()).toEqual([]);
    await runUntil(STOP_MS + START_DELAY_MS);
    expect(live()).toEqual(['host#2']);
  });

  it('a rolling deploy starts the new process first; both run for the drawn overlap, then the old one is stopped', async () => {
    const overlapMs = 5_000;
    // Start delay: the shortest; overlap: 5 s. (Checkpoints fall between events: a tie would ask a choice.)
    const { supervisor, runUntil, live } = supervised([0, overlapMs - deployOverlapMinMs]);
    void supervisor.rollingDeploy();
    await runUntil(START_DELAY_MS + 1);
    expect(live()).toEqual(['host#1', 'host#2']);
    await runUntil(START_DELAY_MS + overlapMs + STOP_MS - 1);
    expect(live()).toEqual(['host#1', 'host#2']);
    await runUntil(START_DELAY_MS + overlapMs + STOP_MS + 1);
    expect(live()).toEqual(['host#2']);
  });

  it('a crash during a redeploy\'s drain ends the wait at once, and the deploy starts the only successor', async () => {
    const { supervisor, runUntil, live, kinds } = supervised();
    void supervisor.redeploy();
    await runUntil(10);
    void supervisor.crash('host#1');
    await runUntil(10 + START_DELAY_MS + 1);
    expect(live()).toEqual(['host#2']);
    await runUntil(60_000);
    expect(live()).toEqual(['host#2']);
    expect(kinds('process-start').filter((event) => event.actor !== 'host#1')).toHaveLength(1);
  });

  it('a crash of a process no deploy replaces is followed by a successor; a deploy during another is skipped', async () => {
    // Start delays: the shortest; overlap: 10 s.
    const { supervisor, runUntil, live, kinds } = supervised([0, 10_000, 0]);
    void supervisor.rollingDeploy();
    void supervisor.redeploy();
    expect(kinds('fault-skipped')[0]?.detail).toEqual({ kind: 'redeploy', reason: 'a deploy is in progress' });
    await runUntil(START_DELAY_MS + 1);
    void supervisor.crash('host#2');
    await runUntil(2 * START_DELAY_MS + 2);
    expect(live()).toEqual(['host#1', 'host#3']);
  });
});
