import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { readReplayToken } from '../../scenarios/replayTokens.ts';
import { runScenario } from '../../scenarios/runScenario.ts';

/**
 * Trace hashes recorded (bench/recordTraceHashes.ts) on the code before the machinery was made cheaper, and recorded
 * again after new switches were added (the hash covers the run's resolved configuration, so a new switch changes every
 * hash of the runtime that has it; the step counts and verdicts were unchanged but for model-conformance failures the
 * model fixes of the same change removed), and once more for the v0.6 runtime after its catch-up reads stopped losing
 * their last batch (its eight tokens: the lost-work verdicts that defect caused are gone), and for one v0.4 token when
 * the wake-stream model began counting a done the server refused (a token a restart lost) as the process being done
 * with the wake, as the wake-replay oracle does (its model-conformance verdict, that disagreement, is gone; its steps
 * and other verdicts are unchanged), and for all forty when claims and refusals began to record when the network saw
 * them leave (`sentAtMs`: every run claims, so every hash moved; every step count and verdict is unchanged): replay
 * tokens across runtimes, configurations (library tier, wire path) and fault worlds, with each run's hash, step count
 * and violations. The hash covers every event of the run and its verdicts, so any change to scheduling, the world, the
 * trace format or the judgement shows here.
 */
const RECORDED: ReadonlyArray<{ token: string; traceHash: string; steps: number; violations: string[] }> = JSON.parse(
  readFileSync(new URL('./fixtures/traceHashes.json', import.meta.url), 'utf8'),
);

describe('trace hashes are stable across changes to the machinery', () => {
  it('has recordings across runtimes, configurations and fault worlds', () => {
    expect(RECORDED.length).toBeGreaterThanOrEqual(40);
  });

  it('replays every recorded token to the recorded hash, step count and verdicts', async () => {
    for (const recorded of RECORDED) {
      const { spec, choices } = readReplayToken(recorded.token);
      const result = await runScenario(spec, new RecordedChoiceSource(choices));
      expect({ hash: result.traceHash, steps: result.steps, violations: result.violations.map((violation) => violation.property) }).toEqual({
        hash: recorded.traceHash,
        steps: recorded.steps,
        violations: recorded.violations,
      });
    }
  });
});
