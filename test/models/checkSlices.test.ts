import { describe, expect, it } from 'vitest';
import { CHECK_SLICES, CHECKED_PROPERTIES, sliceOf, SWITCH_OF_MACHINE } from '../../models/check/checkSlices.ts';
import { checkReachability } from '../../models/check/checkReachability.ts';
import { modelConfigOf } from '../../models/modelConfig.ts';
import { MODEL_MACHINES } from '../../models/modelLayers.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';

describe('model checking slices', () => {
  it('every machine names the switch it reads, and every slice reads the switches of the machines it moves', () => {
    expect(Object.keys(SWITCH_OF_MACHINE).sort()).toEqual(Object.keys(MODEL_MACHINES).sort());
    for (const slice of Object.values(CHECK_SLICES)) {
      for (const machine of slice.machines) expect(slice.switches, `${slice.name} moves ${machine}`).toContain(SWITCH_OF_MACHINE[machine]);
    }
    // The wake slice asks the runner slice whether a wake event can be lost: it reads the runner slice's switches too.
    for (const name of CHECK_SLICES.runner.switches) expect(CHECK_SLICES.wake.switches).toContain(name);
  });

  it("the runner slice's timing assumption holds in the world: a host restarts after its old requests have all arrived", () => {
    const { hostRestartDelayMinMs, network } = DEFAULT_FAULT_OPTIONS;
    expect(hostRestartDelayMinMs).toBeGreaterThan(network.baseLatencyMs + network.maxExtraDelayMs);
  });

  it('every checked property belongs to one slice, and its answer reports the switches that slice read', () => {
    for (const property of CHECKED_PROPERTIES) {
      const slice = sliceOf(property);
      expect(slice.properties).toContain(property);
      const answer = checkReachability(modelConfigOf({ wiring: 'reject', offset: 'tail', idempotency: 'wired-gate' }), property, DEFAULT_FAULT_KINDS);
      expect(Object.keys(answer.switchesRead).sort(), property).toEqual([...slice.switches].sort());
    }
  });
});
