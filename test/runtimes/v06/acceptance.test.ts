import { describe, expect, it } from 'vitest';
import { runSpecFor } from '../../../scenarios/config/runSpecFor.ts';
import { explore } from '../../../scenarios/explore.ts';
import { readReplayToken, replay } from '../../../scenarios/replayTokens.ts';
import { runScenario } from '../../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../../sim/trace/Trace.ts';

/** The v0.6 runtime with the switch values 0.4.x shipped (and 0.6.3 still ships): defects A and B present. */
const asShipped = runSpecFor({ scenario: 'daily-digest', runtime: 'v0.6', switches: { wiring: 'swallow', offset: 'minus-one' } });
/** Both proposed fixes. */
const bothFixes = runSpecFor({ scenario: 'daily-digest', runtime: 'v0.6', switches: { wiring: 'retry', offset: 'durable' } });

/** What the world saw, without what the runtime said about itself (nor the verdicts, compared on their own). */
const observations = (events: readonly TraceEvent[]): string[] =>
  events
    .filter((event) => !event.annotation && event.kind !== 'run-end')
    .map((event) => `${event.step} ${event.atMs} ${event.actor} ${event.kind} ${JSON.stringify(event.detail)}`);

/**
 * The verdicts of the oracles, which judge from the world's observations alone. `model-conformance` is left out: the
 * composed model reads the runtime's annotations (`runner-start`, `wake-start`, ...), so a run without them fails it.
 */
const oracleVerdicts = (violations: ReadonlyArray<{ readonly property: string }>): string[] =>
  violations.map((violation) => violation.property).filter((property) => property !== 'model-conformance');

describe('v0.6 runtime in the daily-digest world', () => {
  it('as shipped (wiring=swallow offset=minus-one): explore finds the duplicate digest, and its token replays to the same hash', async () => {
    const report = await explore({ spec: asShipped, maxRuns: 50, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: 100 });
    const finding = report.finding!;
    expect(finding.property).toBe('duplicate-action');
    expect(finding.shrunk.violations.map((violation) => violation.property)).toContain('duplicate-action');
    const request = readReplayToken(finding.replayToken);
    expect(request.spec.runtime).toBe('v0.6');
    const replayed = await replay(request);
    expect(replayed.traceHash).toBe(finding.shrunk.traceHash);
  });

  it('with both fixes (wiring=retry offset=durable): no violation of any property in 300 runs with the default faults', async () => {
    const report = await explore({ spec: bothFixes, maxRuns: 300, seed: 1, properties: [], maxShrinkAttempts: 0 });
    expect(report.runsExecuted).toBe(300);
    expect(report.finding).toBeUndefined();
  });

  it('is deterministic, and behaves the same when its annotations are dropped', async () => {
    for (const runIndex of [0, 1, 2]) {
      const first = await runScenario(asShipped, new RandomChoiceSource(runSeed(7, runIndex)));
      const again = await runScenario(asShipped, new RandomChoiceSource(runSeed(7, runIndex)));
      expect(again.traceHash).toBe(first.traceHash);
      const unannotated = await runScenario(asShipped, new RandomChoiceSource(runSeed(7, runIndex)), { dropAnnotations: true });
      expect(observations(unannotated.events)).toEqual(observations(first.events));
      expect(oracleVerdicts(unannotated.violations)).toEqual(oracleVerdicts(first.violations));
    }
  });
});
