import { describe, expect, it } from 'vitest';
import { coverageJson } from '../../cli/format/coverageFigures.ts';
import { exploreReportText } from '../../cli/format/exploreReport.ts';
import { propertyNames } from '../../properties/index.ts';
import { minimalDigestScenario } from '../../scenarios/daily-digest/minimalDigestScenario.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';
import { registerScenario } from '../../scenarios/index.ts';
import type { Scenario } from '../../scenarios/Scenario.ts';
import { faultKindsNeverStruck } from '../../world/faults/FaultKind.ts';

/**
 * A scenario of a user's own that lists no `faultKinds` (so `--faults` may ask for any kind) but injects only what
 * the minimal digest does: a redeploy. Asked for crashes too, it accepts them and never crashes a host.
 */
const { faultKinds: _kinds, followedByComposedModel: _followed, ...minimalWorld } = minimalDigestScenario;
const acceptsEveryKind: Scenario = { ...minimalWorld, name: 'accepts-every-kind', summary: 'injects a redeploy, accepts any kind' };
registerScenario(acceptsEveryKind);

describe('fault kinds asked for that no run injected are named', () => {
  it('counts a kind as struck from its fault events, and never names one that strikes unrecorded', () => {
    expect(faultKindsNeverStruck(['redeploy', 'crash', 'delivery-reorder'], new Set(['redeploy']))).toEqual(['crash']);
    expect(faultKindsNeverStruck(['redeploy'], new Set(['redeploy']))).toEqual([]);
  });

  it('a clean search of a scenario that never crashes a host says crashes never struck, in the report and the JSON', async () => {
    const spec = runSpecFor({ scenario: 'accepts-every-kind', faults: ['redeploy', 'crash'], switches: { wiring: 'retry', offset: 'durable' } });
    const report = await explore({ spec, maxRuns: 20, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: 0 });
    expect(report.finding).toBeUndefined();
    expect([...report.coverage.faultsStruck.keys()]).toEqual(['redeploy']);
    expect(coverageJson(report)['faultsNeverStruck']).toEqual(['crash']);
    expect(exploreReportText(report).join('\n')).toContain('faults never struck in these 20 runs: crash (rare, or not injected by the scenario accepts-every-kind');
  });

  it('says nothing when every kind asked for struck, nor beside a finding (the search stopped there)', async () => {
    const clean = await explore({ spec: runSpecFor({ scenario: 'accepts-every-kind', faults: ['redeploy'], switches: { wiring: 'retry', offset: 'durable' } }), maxRuns: 5, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: 0 });
    expect(exploreReportText(clean).join('\n')).not.toContain('never struck');
    const found = await explore({ spec: runSpecFor({ scenario: 'accepts-every-kind', faults: ['redeploy', 'crash'] }), maxRuns: 200, seed: 1, properties: propertyNames(), maxShrinkAttempts: 0 });
    expect(found.finding).toBeDefined();
    expect(exploreReportText(found).join('\n')).not.toContain('never struck');
  });
});
