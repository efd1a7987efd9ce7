import { describe, expect, it } from 'vitest';
import { faultMomentsOf } from '../../../world/faults/FaultPointOptions.ts';
import type { PlatformFaultKind } from '../../../world/faults/PlatformFaults.ts';
import { worldFixture } from './worldFixture.ts';

/** Answers of a moment's first choice that fire a fault point of `percent`: the top of the 0..99 range. */
const FIRES = 99;

/** A world whose fault points (the moments of `revision`, the current one by default) only report what they would strike. */
function pointsFixture(kinds: readonly string[], script: readonly number[], revision?: number) {
  const fixture = worldFixture(kinds, script);
  const struck: Array<[PlatformFaultKind, string | undefined, number]> = [];
  fixture.world.enableFaultPoints((kind, process) => struck.push([kind, process, fixture.sim.scheduler.nowMs]), faultMomentsOf(revision));
  const observe = (actor: string, kind: string, detail: Record<string, string | number | boolean>) => fixture.sim.trace.record(actor, kind, detail);
  return { ...fixture, struck, observe };
}

describe('fault points: platform faults at the moments the world sees', () => {
  it('a granted claim opens a wake-in-flight window: the fault strikes its process after the drawn delay', async () => {
    // claim-outstanding: no; wake-in-flight: fires, kind 1 of [redeploy, crash] (crash), 5 ms later.
    const { struck, observe, runUntil, kinds } = pointsFixture(['redeploy', 'crash'], [0, FIRES, 1, 5]);
    observe('agents-server', 'claim-answered', { peer: 'host#1', status: 200, wakeId: 'w1', subscription: 's', generation: 1 });
    await runUntil(100);
    expect(struck).toEqual([['crash', 'host#1', 5]]);
    expect(kinds('fault-point')[0]?.detail).toEqual({ moment: 'wake-in-flight', kind: 'crash', host: 'host#1', delayMs: 5 });
  });

  it('a fault whose window closed before it struck is skipped: the wake\'s done came first', async () => {
    const { struck, observe, runUntil, kinds } = pointsFixture(['redeploy'], [0, FIRES, 5]);
    observe('agents-server', 'claim-answered', { peer: 'host#1', status: 200, wakeId: 'w1', subscription: 's', generation: 1 });
    observe('agents-server', 'done-received', { peer: 'host#1', wakeId: 'w1', status: 200 });
    await runUntil(100);
    expect(struck).toEqual([]);
    expect(kinds('fault-skipped')[0]?.detail).toEqual({ kind: 'redeploy', moment: 'wake-in-flight', reason: 'moment passed' });
  });

  it('a lease about to expire is a moment, two seconds before its end; a lease that ends sooner has none', async () => {
    const { sim, struck, observe, runUntil } = pointsFixture(['server-restart'], [FIRES, 0]);
    observe('durable-streams', 'lease-granted', { subscription: 'a', generation: 1, holder: 'r1', leaseTtlMs: 30_000 });
    observe('durable-streams', 'lease-granted', { subscription: 'b', generation: 1, holder: 'r1', leaseTtlMs: 30_000 });
    observe('durable-streams', 'lease-ended', { subscription: 'b', generation: 1, reason: 'done' });
    await runUntil(27_999);
    expect(sim.choices.recorded).toEqual([]);
    await runUntil(40_000);
    expect(struck).toEqual([['server-restart', undefined, 28_000]]);
  });

  it('heartbeats are moments only when they report a new offset', async () => {
    const { sim, observe } = pointsFixture(['redeploy'], []);
    for (const offset of ['-1', '-1', '0_1', '0_1']) observe('agents-server', 'heartbeat-received', { peer: 'host#1', runner: 'r1', offset, status: 204 });
    expect(sim.choices.recorded).toHaveLength(2);
  });

  it('a SIGTERM opens a drain window that ends with the process', async () => {
    const { struck, observe, runUntil } = pointsFixture(['crash'], [FIRES, 500]);
    observe('host#1', 'sigterm', {});
    observe('host#1', 'process-exit', { reason: 'graceful' });
    await runUntil(2_000);
    expect(struck).toEqual([]);
  });

  it('asks nothing once a run struck its maximum, in the quiet period, or when no platform fault is enabled', () => {
    const claim = { peer: 'host#1', status: 204 };
    const capped = pointsFixture(['redeploy'], [FIRES, 0, FIRES, 0]);
    for (let index = 0; index < 5; index += 1) capped.observe('agents-server', 'claim-answered', claim);
    expect(capped.sim.choices.recorded).toHaveLength(4);
    const quiet = pointsFixture(['redeploy'], []);
    quiet.world.faultsActive = false;
    quiet.observe('agents-server', 'claim-answered', claim);
    expect(quiet.sim.choices.recorded).toEqual([]);
    const none = pointsFixture(['preload-not-found'], []);
    none.observe('agents-server', 'claim-answered', claim);
    expect(none.sim.choices.recorded).toEqual([]);
  });

  it('a process start opens a start-up window: a deploy strikes that process before its runner reads, unless it died', async () => {
    const { struck, observe, runUntil, kinds } = pointsFixture(['redeploy', 'crash'], [FIRES, 0, 2, FIRES, 0, 3]);
    observe('host#2', 'process-start', {});
    observe('host#3', 'process-start', {});
    observe('host#3', 'process-exit', { reason: 'crash' });
    await runUntil(100);
    expect(struck).toEqual([['redeploy', 'host#2', 2]]);
    expect(kinds('fault-point')[0]?.detail).toEqual({ moment: 'start-up', kind: 'redeploy', host: 'host#2', delayMs: 2 });
    expect(kinds('fault-skipped')[0]?.detail).toEqual({ kind: 'redeploy', moment: 'start-up', reason: 'moment passed' });
  });

  it('a run of the first fault-moment revision (an old token) watches no process start: it asks nothing there', () => {
    const old = pointsFixture(['redeploy'], [], 1);
    old.observe('host#1', 'process-start', {});
    expect(old.sim.choices.recorded).toEqual([]);
    expect(() => faultMomentsOf(99)).toThrow('unknown fault-moment revision 99 (known: 1, 2)');
  });
});
