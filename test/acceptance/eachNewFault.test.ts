import { describe, expect, it } from 'vitest';
import type { ChoiceHint } from '../../sim/choice/ChoiceSource.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

/** Seeds tried at most to see a fault fire: every kind fires within a few runs at its default rate. */
const MAX_SEEDS = 40;

/** A random source that also remembers which fault each recorded answer was about. */
class FaultNotingSource extends RandomChoiceSource {
  readonly faults: Array<string | undefined> = [];

  override choose(optionCount: number, label: string, hint?: ChoiceHint): number {
    const value = super.choose(optionCount, label, hint);
    if (optionCount > 1) this.faults.push(hint && hint.kind !== 'task' ? hint.fault : undefined);
    return value;
  }
}

const firedIn = (events: readonly TraceEvent[], kind: string): boolean => events.some((event) => event.kind === 'fault' && event.detail['kind'] === kind);

/** The first of `MAX_SEEDS` runs in which a fault of `kind` fired, with the fault each of its answers was about. */
async function runWhereItFires(kind: string): Promise<{ readonly run: RunResult; readonly faults: ReadonlyArray<string | undefined> }> {
  const spec = digestSpec(BOTH_FIXES, [kind]);
  for (let index = 0; index < MAX_SEEDS; index += 1) {
    const source = new FaultNotingSource(runSeed(14, index));
    const run = await runScenario(spec, source);
    if (firedIn(run.events, kind)) return { run, faults: source.faults };
  }
  throw new Error(`${kind} never fired in ${MAX_SEEDS} runs`);
}

const NEW_KINDS = ['rolling-deploy', 'ds-restart', 'server-error', 'rate-limit', 'stream-outage', 'lost-answer', 'connection-drop', 'stale-connection', 'hung-connect', 'hung-request', 'slow-handler', 'network-outage'];

describe('each new fault kind fires, replays, and shrinks away', () => {
  it.each(NEW_KINDS)('%s', async (kind) => {
    const { run, faults } = await runWhereItFires(kind);
    // Replays: the same answers make the same run.
    const replayed = await runScenario(run.spec, new RecordedChoiceSource(run.choices));
    expect(replayed.traceHash).toBe(run.traceHash);
    // Shrinks away: the answers before its first question, then the ordinary answer (0) to everything, which is what
    // the shrinker moves towards, make a run without it.
    const firstQuestion = faults.findIndex((fault) => fault === kind);
    expect(firstQuestion).toBeGreaterThanOrEqual(0);
    const ordinary = await runScenario(run.spec, new RecordedChoiceSource(run.choices.slice(0, firstQuestion)));
    expect(firedIn(ordinary.events, kind)).toBe(false);
  });
});
