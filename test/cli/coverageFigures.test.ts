import { describe, expect, it } from 'vitest';
import { coverageJson, coverageLines } from '../../cli/format/coverageFigures.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';

describe('coverage figures', () => {
  it('say the model did not follow runs it does not judge (several entities), rather than print a 0 as measured', async () => {
    const spec = runSpecFor({ scenario: 'daily-digest', preset: 'hardened', switches: { entities: '2' }, faults: [] });
    const report = await explore({ spec, maxRuns: 2, seed: 1, properties: propertyNames(), maxShrinkAttempts: 0 });
    expect(coverageLines(report)[0]).toBe('coverage: not measured (the composed model does not follow these runs; see model-conformance above)');
    expect(coverageJson(report)['modelTransitions']).toMatchObject({ followed: false });
    const single = await explore({ spec: runSpecFor({ scenario: 'daily-digest', preset: 'hardened', faults: [] }), maxRuns: 2, seed: 1, properties: propertyNames(), maxShrinkAttempts: 0 });
    expect(coverageLines(single)[0]).toMatch(/^coverage: \d+ of \d+ model transitions/);
    expect(coverageJson(single)['modelTransitions']).not.toHaveProperty('followed');
  });
});
