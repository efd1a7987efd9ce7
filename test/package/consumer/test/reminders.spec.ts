import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SHRINK_ATTEMPTS, explore, readReplayToken, replay, runSpecFor } from 'wake-sim';
import { itExplores } from 'wake-sim/testing';
import '../wake-sim.config.ts';

const planted = runSpecFor({ scenario: 'reminders', runtime: 'little-runtime' });
const drained = runSpecFor({ scenario: 'reminders', runtime: 'little-runtime', switches: { drain: 'finish' } });

describe('little-runtime in the reminders world', () => {
  it('drain=abandon: the search finds the duplicate reminder, shrinks it to one redeploy, and its token replays it', async () => {
    const { finding } = await explore({ spec: planted, maxRuns: 300, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: DEFAULT_MAX_SHRINK_ATTEMPTS });
    expect(finding?.property).toBe('duplicate-action');
    expect(finding!.shrunkToLocalMinimum).toBe(true);
    expect(finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => event.detail['kind'])).toEqual(['redeploy']);
    const replayed = await replay(readReplayToken(finding!.replayToken));
    expect(replayed.traceHash).toBe(finding!.shrunk.traceHash);
    expect(replayed.violations.map((violation) => violation.property)).toContain('duplicate-action');
    // For the command line's turn (the test that packed this project reads it).
    writeFileSync(process.env['FINDING_FILE'] ?? 'finding.json', JSON.stringify({ token: finding!.replayToken, traceHash: finding!.shrunk.traceHash, runIndex: finding!.runIndex }));
  });

  // wake-replay is left out on purpose: this runtime re-reads its wake stream from the start after every restart.
  itExplores('drain=finish: every reminder posted once and on time', drained, { runs: 100, properties: ['duplicate-action', 'missed-action', 'hang', 'hermetic', 'late-reminder'] });
});
