import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { CONFIG_PRESETS, type SwitchValues } from '../../scenarios/config/SwitchValues.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { DEFAULT_FAULT_KINDS, faultKinds, type FaultKind } from '../../world/faults/FaultKind.ts';

/** The switches that differ from the shipped configuration. */
export const V04: SwitchValues = {};
export const BOTH_FIXES: SwitchValues = { wiring: 'retry', offset: 'durable' };
/**
 * Both fixes and a claim reaper. Without the reaper a wake a redeploy abandons leaves its claim active (`stuck-claim`),
 * which nothing in the two fixes addresses. Under the default faults what it still shows is rare: a wake replayed
 * after a redeploy before the runner reported its offset, and a second wake beside a wiring retry that outlived its
 * lease (fixedConfigClean.test.ts).
 */
export const FIXED: SwitchValues = { ...BOTH_FIXES, 'claim-reaper': 'sweep' };
/** The `hardened` preset: both fixes and a switch for each finding they still show under every fault. */
export const HARDENED: SwitchValues = CONFIG_PRESETS['hardened']!;

/** Every fault kind the world knows. */
export const ALL_FAULTS: readonly FaultKind[] = faultKinds().map((kind) => kind.name);

export const digestSpec = (switches: SwitchValues, faults: readonly FaultKind[] = DEFAULT_FAULT_KINDS, runtime = 'v0.4'): RunSpec =>
  runSpecFor({ scenario: 'daily-digest', runtime, switches, faults });
