import { describe, expect, it } from 'vitest';
import { CHECKED_PROPERTIES, sliceOf } from '../../models/check/checkSlices.ts';
import { checkReachability, DEFAULT_CHECK_BOUNDS, LOST_LEASE_BOUNDS, wakeLossPath } from '../../models/check/checkReachability.ts';
import { modelCheck } from '../../models/check/modelCheck.ts';
import { ComposedModel } from '../../models/composedModel.ts';
import { modelConfigOf } from '../../models/modelConfig.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { BOTH_FIXES as BOTH_FIX_SWITCHES } from '../acceptance/helpers.ts';

const V04 = modelConfigOf({});
const BOTH_FIXES = modelConfigOf(BOTH_FIX_SWITCHES);

describe('models check', () => {
  it('finds every violation but hang reachable in v0.4; the runtime shows each driven along the path and by search', async () => {
    const [v04] = await modelCheck({ scenario: 'daily-digest', faults: DEFAULT_FAULT_KINDS, reproductionRuns: 100, seed: 1, configs: [V04] });
    expect(v04!.properties.hang.reachable).toBe(false);
    expect(v04!.properties.hang.reproduction).toBeUndefined();
    for (const property of CHECKED_PROPERTIES.filter((name) => name !== 'hang')) {
      const verdict = v04!.properties[property];
      expect(verdict.reachable, property).toBe(true);
      expect(verdict.reproduction?.driven.reproduced, `${property} driven along the path`).toBe(true);
      expect(verdict.reproduction?.search.foundAtRun, `${property} found by search`).toBeGreaterThan(0);
      const replayed = await replay(readReplayToken(verdict.reproduction!.search.replay!));
      expect(replayed.violations.map((violation) => violation.property)).toContain(property);
    }
  });

  it('with wiring=retry offset=durable finds wake-replay (it takes three processes) and, only through a lost lease, the duplicate', () => {
    for (const property of CHECKED_PROPERTIES) {
      const verdict = checkReachability(BOTH_FIXES, property, DEFAULT_FAULT_KINDS);
      expect(verdict.reachable, property).toBe(property === 'wake-replay' || property === 'duplicate-action');
      expect(verdict.statesExplored, property).toBeGreaterThan(100);
      if (sliceOf(property).name === 'wake') expect(verdict.lostLease, property).toBe(property === 'duplicate-action');
    }
    // A wake granted to a process stopped before its done, answered to a second while that claim holds the lease (the
    // second's mark does not move past it), and read by a third: exploration finds it (fixedConfigClean.test.ts).
    const { path } = checkReachability(BOTH_FIXES, 'wake-replay', DEFAULT_FAULT_KINDS);
    expect(path.filter((event) => event.type === 'PROCESS_START')).toHaveLength(3);
    // The bounds before 2026-12-03 (two processes, one redeploy) called it unreachable.
    expect(checkReachability(BOTH_FIXES, 'wake-replay', DEFAULT_FAULT_KINDS, { ...DEFAULT_CHECK_BOUNDS, processes: 2, redeploys: 1 }).reachable).toBe(false);
  });

  it('reaches the duplicate of two wakes at once through a lease lost under a running wake, a step conformance refuses (matrix run 192)', () => {
    const { path, lostLease } = checkReachability(BOTH_FIXES, 'duplicate-action', DEFAULT_FAULT_KINDS);
    expect(lostLease).toBe(true);
    const types = path.map((event) => event.type);
    const expiry = types.indexOf('LEASE_EXPIRED');
    const firstStart = types.indexOf('WAKE_START');
    const secondStart = types.indexOf('WAKE_START', firstStart + 1);
    expect(firstStart).toBeGreaterThanOrEqual(0);
    expect(expiry).toBeGreaterThan(firstStart);
    expect(secondStart).toBeGreaterThan(expiry);
    // The first search alone (no lost lease) has no path; the second one stays within its bounds.
    expect(checkReachability(BOTH_FIXES, 'duplicate-action', DEFAULT_FAULT_KINDS, DEFAULT_CHECK_BOUNDS, null).reachable).toBe(false);
    expect(path.filter((event) => event.type === 'PROCESS_START')).toHaveLength(LOST_LEASE_BOUNDS.processes);
    // The path leaves what a runtime without renewal or fence may do: conformance refuses its second wake, and the
    // model checking admits it to show what it leads to.
    const follow = (admitLeaseOverrun: boolean) => {
      const model = new ComposedModel({ ...BOTH_FIXES }, DEFAULT_FAULT_KINDS, { annotations: ['wiring-chain'], admitLeaseOverrun });
      let state = model.initial();
      const entered: string[] = [];
      for (const [index, event] of path.entries()) {
        if (event.type === 'WAKE_LOST') continue;
        const result = model.step(state, event);
        if (!result.state) return { refusedAt: index, entered };
        state = result.state;
        entered.push(...result.entered!);
      }
      return { refusedAt: -1, entered };
    };
    expect(follow(false).refusedAt).toBe(secondStart);
    const admitted = follow(true);
    expect(admitted.refusedAt).toBe(-1);
    expect(admitted.entered).toContain('duplicate-action');
  });

  it('gives shortest paths the composed model accepts and that end in the violation', () => {
    for (const property of ['unwired-resolve', 'duplicate-action', 'wake-replay'] as const) {
      const { path } = checkReachability(V04, property, DEFAULT_FAULT_KINDS);
      // The runner slice runs the system models alone; the wake slice adds the wiring chain.
      const model = new ComposedModel({ ...V04 }, DEFAULT_FAULT_KINDS, { annotations: sliceOf(property).name === 'wake' ? ['wiring-chain'] : [] });
      let state = model.initial();
      const entered: string[] = [];
      for (const event of path) {
        if (event.type === 'WAKE_LOST') continue;
        const result = model.step(state, event);
        expect(result.failure, `${property}: ${event.type}`).toBeUndefined();
        state = result.state!;
        entered.push(...result.entered!);
      }
      expect(entered).toContain(property);
    }
  });

  it('missed-action reads the offset switch: with retry, unreachable from -1, reachable from the tail (a wake issued before the runner starts)', () => {
    // The case: `matrix` finds missed-action for retry + tail, which the model used to call unreachable.
    const tail = checkReachability({ ...BOTH_FIXES, offset: 'tail' }, 'missed-action', DEFAULT_FAULT_KINDS);
    expect(tail.reachable).toBe(true);
    expect(tail.wakesMayBeLost).toBe(true);
    expect(tail.switchesRead).toEqual({ wiring: 'retry', idempotency: 'raw-collection', offset: 'tail' });
    expect(tail.path.map((event) => event.type)).toContain('WAKE_LOST');
    expect(checkReachability({ ...BOTH_FIXES, offset: 'minus-one' }, 'missed-action', DEFAULT_FAULT_KINDS).reachable).toBe(false);
    // Where a wake is lost: the runner slice's own path, a wake issued before the runner's first read at `now`.
    expect(wakeLossPath({ ...BOTH_FIXES, offset: 'tail' }, DEFAULT_FAULT_KINDS)?.map((event) => event.type)).toEqual(['WAKE_APPENDED', 'PROCESS_START', 'REGISTERED', 'WAKE_STREAM_READ']);
    for (const offset of ['minus-one', 'durable', 'durable-raw', 'server-seek'] as const) expect(wakeLossPath({ ...BOTH_FIXES, offset }, DEFAULT_FAULT_KINDS), offset).toBeUndefined();
  });

  it('missed-action where a wake fails closed: v0.4 on a restored handle, reject; a claim the agents server refuses loses a wake anywhere', () => {
    const v04 = checkReachability(V04, 'missed-action', DEFAULT_FAULT_KINDS);
    expect(v04.reachable).toBe(true);
    expect(v04.path.find((event) => event.type === 'PRELOAD_FAILED')).toMatchObject({ restored: true });
    expect(checkReachability({ ...V04, wiring: 'reject' }, 'missed-action', DEFAULT_FAULT_KINDS).reachable).toBe(true);
    const withRestarts = [...DEFAULT_FAULT_KINDS, 'server-restart'];
    expect(checkReachability(BOTH_FIXES, 'missed-action', withRestarts).wakesMayBeLost).toBe(true);
  });

  it('the duplicate needs a preload failure or a lost lease: with no faults v0.4 reaches it only through a lost lease', () => {
    expect(checkReachability(V04, 'duplicate-action', []).lostLease).toBe(true);
    expect(checkReachability(V04, 'duplicate-action', [], DEFAULT_CHECK_BOUNDS, null).reachable).toBe(false);
    const withPreloadFailures = checkReachability(V04, 'duplicate-action', ['preload-not-found']);
    expect(withPreloadFailures.reachable).toBe(true);
    expect(withPreloadFailures.lostLease).toBe(false);
  });
});
