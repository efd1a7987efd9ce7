import { describe, expect, it } from 'vitest';
import type { ChoiceHint } from '../../sim/choice/ChoiceSource.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { encodeReplayToken } from '../../sim/replay/replayToken.ts';
import { readReplayToken, replayTokenFor } from '../../scenarios/replayTokens.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { CURRENT_FAULT_MOMENT_REVISION } from '../../world/faults/FaultPointOptions.ts';
import { V04, digestSpec } from './helpers.ts';

/** The redeploys of the default faults, alone: every process start is a moment of the current revision. */
const SPEC = digestSpec(V04, ['redeploy']);

/** A token as this build writes it, with its `faultMoments` entry replaced (or dropped, as before revisions existed). */
function tokenWithRevision(revision: unknown): string {
  const body = replayTokenFor(SPEC, []).split('.')[1]!;
  const { spec } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { spec: Record<string, unknown> };
  const { faultMoments: _written, ...before } = spec;
  return encodeReplayToken({ spec: revision === undefined ? before : { ...before, faultMoments: revision }, choices: [] });
}

describe('fault-moment revisions: a token replays under the moments it was explored with', () => {
  it('a token this build writes carries the current revision, and reads back with it', () => {
    expect(readReplayToken(replayTokenFor(SPEC, [])).spec.faultMomentRevision).toBe(CURRENT_FAULT_MOMENT_REVISION);
  });

  it('a token written before revisions (no entry) reads as the first; one of an unknown revision is refused in one line', () => {
    expect(readReplayToken(tokenWithRevision(undefined)).spec.faultMomentRevision).toBe(1);
    expect(() => readReplayToken(tokenWithRevision(7))).toThrow(/^replay token describes a run this build cannot set up: fault-moment revision 7 is unknown \(known: 1, 2\)$/);
    expect(() => readReplayToken(tokenWithRevision('2'))).toThrow(/fault-moment revision 2 is unknown/);
  });

  it('the start-up moment asks a question at process starts under the current revision, and none under the first', async () => {
    const asked = async (revision: number) => {
      let questions = 0;
      let laterStarts = 0;
      for (let seed = 1; seed <= 20; seed += 1) {
        const source = new LabelCountingSource(seed, 'fault at start-up');
        const result = await runScenario({ ...SPEC, faultMomentRevision: revision }, source);
        questions += source.count;
        // The scenario turns fault points on after its first process started.
        laterStarts += result.events.filter((event) => event.kind === 'process-start').length - 1;
      }
      return { questions, laterStarts };
    };
    const current = await asked(CURRENT_FAULT_MOMENT_REVISION);
    expect(current.laterStarts).toBeGreaterThan(0);
    expect(current.questions).toBeGreaterThan(0);
    // At most one question per later start: none after a run struck its two fault points, nor in the quiet period.
    expect(current.questions).toBeLessThanOrEqual(current.laterStarts);
    expect((await asked(1)).questions).toBe(0);
  });
});

/** Seeded random answers that count the questions asked under one label. */
class LabelCountingSource extends RandomChoiceSource {
  count = 0;

  constructor(
    seed: number,
    private readonly label: string,
  ) {
    super(seed);
  }

  override choose(optionCount: number, label: string, hint?: ChoiceHint): number {
    if (label === this.label) this.count += 1;
    return super.choose(optionCount, label, hint);
  }
}
