import { resolveConfig, type RuntimeConfig } from '../../runtime/config.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { DEFAULT_FAULT_KINDS, type FaultKind } from '../../world/faults/FaultKind.ts';

export const V04: RuntimeConfig = resolveConfig('v0.4', {});
export const BOTH_FIXES: RuntimeConfig = resolveConfig('v0.4', { wiring: 'retry', offset: 'durable' });

export const digestSpec = (config: RuntimeConfig, faults: readonly FaultKind[] = DEFAULT_FAULT_KINDS): RunSpec => ({
  scenario: 'daily-digest',
  config,
  faults: [...faults],
});
