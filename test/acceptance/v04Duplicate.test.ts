import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { digestSpec, V04 } from './helpers.ts';

describe('v0.4 duplicate digest', () => {
  it('is found on each of 20 seeds within 50 runs', async () => {
    const runsToFind: number[] = [];
    for (let seed = 1; seed <= 20; seed += 1) {
      const report = await explore({ spec: digestSpec(V04), maxRuns: 50, seed, properties: ['duplicate-action'], maxShrinkAttempts: 0 });
      expect(report.finding?.property, `seed ${seed}`).toBe('duplicate-action');
      runsToFind.push(report.runsExecuted);
    }
    expect(Math.max(...runsToFind)).toBeLessThanOrEqual(50);
  });

  it('shrinks to a story that still duplicates and replays to the same hash', async () => {
    const report = await explore({ spec: digestSpec(V04), maxRuns: 50, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: 200 });
    const finding = report.finding!;
    expect(finding.shrunk.violations.map((violation) => violation.property)).toContain('duplicate-action');
    // Shrinking minimises the answers, which removes faults; the story can take a few steps more (fewer restarts).
    const faults = (events: typeof finding.shrunk.events) => events.filter((event) => event.kind === 'fault').length;
    expect(faults(finding.shrunk.events)).toBeLessThanOrEqual(faults(finding.original.events));
    expect(finding.script.length).toBeLessThanOrEqual(finding.original.choices.length);
    const request = readReplayToken(finding.replayToken);
    expect(request.property).toBe('duplicate-action');
    const replayed = await replay(request);
    expect(replayed.traceHash).toBe(finding.shrunk.traceHash);
  });
});
