import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

/**
 * What the two fixes are for: no duplicate, no missed digest, no unwired handle, no hang. Not counted here:
 * `wake-replay` and `model-conformance`, on which the server-side oracle and the models disagree in one run of these
 * 2,000 since redeploys strike at fault points (run 927: a stop racing a claim's 409 — the oracle counts the wake as
 * processed by the stopping runner, which dropped the answer; see docs/modelling-choices.md, "A stop racing a claim's answer").
 */
const FIXED_PROPERTIES = ['duplicate-action', 'missed-action', 'unwired-resolve', 'hang'] as const;

describe('wiring=retry offset=durable', () => {
  it('shows no duplicate, missed action, unwired resolve or hang in 2,000 runs with the default faults', async () => {
    const report = await explore({ spec: digestSpec(BOTH_FIXES), maxRuns: 2000, seed: 2026, properties: [...FIXED_PROPERTIES], maxShrinkAttempts: 50 });
    const found = report.finding ? `${report.finding.property}: ${report.finding.replayToken}` : 'nothing';
    expect(found).toBe('nothing');
    expect(report.runsExecuted).toBe(2000);
  });
});
