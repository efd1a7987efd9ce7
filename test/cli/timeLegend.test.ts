import { describe, expect, it } from 'vitest';
import { virtualTimeLegend } from '../../cli/format/time.ts';
import { timelineLegend } from '../../cli/format/timeline.ts';
import { minimalDigestScenario } from '../../scenarios/daily-digest/minimalDigestScenario.ts';
import { registerScenario } from '../../scenarios/index.ts';

describe("a timeline's legend of times", () => {
  it('explains digest days for the digest scenarios only', () => {
    expect(virtualTimeLegend('daily-digest')).toContain('a simulated day is 5 virtual minutes; first digest due +1:00.000');
    expect(virtualTimeLegend('minimal-digest')).toContain('a simulated day is 5 virtual minutes');
    // A scenario of a user's own (docs/write-a-scenario.md's reminders) has no digests.
    expect(virtualTimeLegend('reminders')).toBe('time: virtual time since the run began (+m:ss.mmm)');
    expect(timelineLegend('reminders').join('\n')).not.toContain('digest');
  });

  it('keeps them for a registered copy of a digest scenario, which says its entity behaves like the digest entity', () => {
    registerScenario({ ...minimalDigestScenario, name: 'digest-copy' });
    expect(virtualTimeLegend('digest-copy')).toContain('a simulated day is 5 virtual minutes');
  });
});
