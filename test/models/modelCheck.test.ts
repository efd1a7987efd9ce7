import { describe, expect, it } from 'vitest';
import { CHECKED_PROPERTIES } from '../../models/check/candidateEvents.ts';
import { checkReachability } from '../../models/check/checkReachability.ts';
import { modelCheck } from '../../models/check/modelCheck.ts';
import { SystemModel } from '../../models/systemModel.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { modelConfigOf } from '../../models/modelConfig.ts';
import { BOTH_FIXES as BOTH_FIX_SWITCHES } from '../acceptance/helpers.ts';

const V04 = modelConfigOf({});
const BOTH_FIXES = modelConfigOf(BOTH_FIX_SWITCHES);

describe('models check', () => {
  it('finds every violation but hang reachable in v0.4, and the runtime reproduces each', async () => {
    const [v04] = await modelCheck({ scenario: 'daily-digest', faults: DEFAULT_FAULT_KINDS, reproductionRuns: 100, seed: 1, configs: [V04] });
    expect(v04!.properties.hang.reachable).toBe(false);
    for (const property of CHECKED_PROPERTIES.filter((name) => name !== 'hang')) {
      const verdict = v04!.properties[property];
      expect(verdict.reachable, property).toBe(true);
      expect(verdict.reproduction?.reproduced, property).toBe(true);
      expect(verdict.reproduction?.driven.reproduced, `${property} driven along the path`).toBe(true);
      const replayed = await replay(readReplayToken(verdict.reproduction!.replay!));
      expect(replayed.violations.map((violation) => violation.property)).toContain(property);
    }
  });

  it('finds none of them reachable with wiring=retry offset=durable (within the bounds)', () => {
    for (const property of CHECKED_PROPERTIES) {
      const verdict = checkReachability(BOTH_FIXES, property, DEFAULT_FAULT_KINDS);
      expect(verdict.reachable, property).toBe(false);
      expect(verdict.statesExplored, property).toBeGreaterThan(10);
    }
  });

  it('gives shortest paths the composed model accepts and that end in the violation', () => {
    for (const property of ['unwired-resolve', 'duplicate-action', 'wake-replay'] as const) {
      const { path } = checkReachability(V04, property, DEFAULT_FAULT_KINDS);
      const model = new SystemModel({ ...V04 }, DEFAULT_FAULT_KINDS);
      for (const event of path) expect(model.apply(event), `${property}: ${event.type}`).toBeUndefined();
      expect([...model.violations]).toContain(property);
    }
  });

  it('missed-action: reachable where a wake can fail closed (v0.4: a restored handle; reject), not with retry', () => {
    const v04 = checkReachability(V04, 'missed-action', DEFAULT_FAULT_KINDS);
    expect(v04.reachable).toBe(true);
    // The only wake of the due day fails closed on the handle the manifest restored.
    expect(v04.path.map((event) => event.type)).toEqual(expect.arrayContaining(['MANIFEST_COMMITTED', 'PRELOAD_FAILED', 'WAKE_FAILED']));
    expect(v04.path.find((event) => event.type === 'PRELOAD_FAILED')).toMatchObject({ restored: true });
    expect(checkReachability({ ...V04, wiring: 'reject' }, 'missed-action', DEFAULT_FAULT_KINDS).reachable).toBe(true);
    expect(checkReachability(BOTH_FIXES, 'missed-action', DEFAULT_FAULT_KINDS).reachable).toBe(false);
  });

  it('the duplicate needs a preload failure: with no faults it is unreachable even in v0.4', () => {
    expect(checkReachability(V04, 'duplicate-action', []).reachable).toBe(false);
    expect(checkReachability(V04, 'duplicate-action', ['preload-not-found']).reachable).toBe(true);
  });
});
