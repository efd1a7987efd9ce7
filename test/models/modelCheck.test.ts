import { describe, expect, it } from 'vitest';
import { CHECKED_PROPERTIES } from '../../models/check/candidateEvents.ts';
import { checkReachability } from '../../models/check/checkReachability.ts';
import { modelCheck } from '../../models/check/modelCheck.ts';
import { SystemModel } from '../../models/systemModel.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { BOTH_FIXES, V04 } from '../acceptance/helpers.ts';

describe('models check', () => {
  it('finds every violation the models judge reachable in v0.4, and the runtime reproduces each', async () => {
    const [v04] = await modelCheck({ scenario: 'daily-digest', faults: DEFAULT_FAULT_KINDS, reproductionRuns: 50, seed: 1, configs: [V04] });
    for (const property of CHECKED_PROPERTIES) {
      const verdict = v04!.properties[property];
      expect(verdict.reachable, property).toBe(true);
      expect(verdict.reproduction?.reproduced, property).toBe(true);
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
    for (const property of CHECKED_PROPERTIES) {
      const { path } = checkReachability(V04, property, DEFAULT_FAULT_KINDS);
      const model = new SystemModel(V04);
      for (const event of path) expect(model.apply(event), `${property}: ${event.type}`).toBeUndefined();
      expect([...model.violations]).toContain(property);
    }
  });

  it('the duplicate needs a preload failure: with no faults it is unreachable even in v0.4', () => {
    expect(checkReachability(V04, 'duplicate-action', []).reachable).toBe(false);
    expect(checkReachability(V04, 'duplicate-action', ['preload-not-found']).reachable).toBe(true);
  });
});
