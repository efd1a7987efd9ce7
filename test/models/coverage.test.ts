import { describe, expect, it } from 'vitest';
import { allConfigs, measureCoverage } from '../../models/coverage/measureCoverage.ts';
import { catalogTransitions } from '../../models/coverage/transitionCatalog.ts';
import { MODEL_MACHINES } from '../../models/systemModel.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';

describe('model coverage', () => {
  it('catalogs every transition of every machine with a unique id', () => {
    const transitions = Object.entries(MODEL_MACHINES).flatMap(([name, machine]) => catalogTransitions(name, machine));
    expect(new Set(transitions.map((transition) => transition.id)).size).toBe(transitions.length);
    expect(transitions.some((transition) => transition.machine === 'wiringChain' && transition.event === 'always')).toBe(true);
  });

  it('covers nothing without runs', async () => {
    const outcome = await measureCoverage({ scenario: 'daily-digest', runs: 0, seed: 1, faults: DEFAULT_FAULT_KINDS });
    expect(outcome.transitions.covered).toBe(0);
  });

  it('a batch over every switch combination but retry-same-db reaches the swallow and retry paths, and all of it conforms', async () => {
    expect(allConfigs()).toHaveLength(75);
    // retry-same-db hangs a wake past its lease, so a second wake overlaps it: the model refuses that (see
    // leaseOverrun.test.ts), and it is not what this test measures.
    const configs = allConfigs().filter((config) => config.wiring !== 'retry-same-db');
    const outcome = await measureCoverage({ scenario: 'daily-digest', runs: 120, seed: 1, faults: DEFAULT_FAULT_KINDS, configs });
    expect(outcome.nonconformingRuns).toBe(0);
    expect(outcome.states.missing).not.toContain('wiringChain:resolvedUnwired');
    expect(outcome.states.missing).not.toContain('wakeStream:replay.replayed');
    expect(outcome.transitions.covered / outcome.transitions.total).toBeGreaterThan(0.5);
    expect(outcome.transitions.missing.length).toBe(outcome.transitions.total - outcome.transitions.covered);
  });
});
