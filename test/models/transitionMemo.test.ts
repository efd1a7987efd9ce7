import type { AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { transitionId, statePath } from '../../models/coverage/transitionCatalog.ts';
import type { ModelObserver } from '../../models/coverage/ModelCoverage.ts';
import { createModelEventTranslator } from '../../models/modelEvents.ts';
import { SystemModel } from '../../models/systemModel.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { getRuntime } from '../../scenarios/registry/runtimes.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { parseFaultList } from '../../world/faults/FaultKind.ts';

/** Everything an observer is told, as text, in order. */
class RecordingObserver implements ModelObserver {
  readonly seen: string[] = [];
  transitionTaken(machine: string, definition: AnyTransitionDefinition): void {
    this.seen.push(`taken ${transitionId(machine, definition)}`);
  }
  stateEntered(machine: string, snapshot: AnyMachineSnapshot): void {
    // The configuration is a set: the memo interns equal snapshots process-wide, and the order of an interned one's
    // `_nodes` follows the path that first reached it (another run's, another test file's in the same worker).
    this.seen.push(`in ${machine}:${(snapshot._nodes as AnyStateNode[]).map(statePath).sort().join(',')}`);
  }
}

const CELLS: ReadonlyArray<{ runtime: string; switches: Record<string, string>; faults: string }> = [
  { runtime: 'v0.4', switches: {}, faults: 'default' },
  { runtime: 'v0.4', switches: { wiring: 'retry', offset: 'durable' }, faults: 'default' },
  { runtime: 'v0.4', switches: { wiring: 'retry', offset: 'durable' }, faults: 'platform' },
  { runtime: 'v0.4', switches: {}, faults: 'network' },
  { runtime: 'v0.6', switches: {}, faults: 'default' },
];
const RUNS_PER_CELL = 12;

describe('the memoised composed model', () => {
  it('agrees with the model stepped through XState on every transition of every run', async () => {
    let compared = 0;
    for (const cell of CELLS) {
      const spec = runSpecFor({ scenario: 'daily-digest', runtime: cell.runtime, switches: cell.switches, faults: parseFaultList(cell.faults) });
      const annotations = getRuntime(spec.runtime).annotations ?? [];
      for (let seed = 0; seed < RUNS_PER_CELL; seed += 1) {
        const { events } = await runScenario(spec, new RandomChoiceSource(seed));
        // Twice memoised: the first pass fills the memo, the second replays from it.
        const followers = [true, false, false].map((interpreted) => {
          const observer = new RecordingObserver();
          return { observer, model: new SystemModel(spec.config, spec.faults, observer, { annotations, interpreted }), translate: createModelEventTranslator(annotations), refused: false };
        });
        for (let index = 0; index < events.length; index += 1) {
          const outcomes = followers.map((follower) => {
            if (follower.refused) return 'stopped';
            const modelEvent = follower.translate(events[index]!);
            if (!modelEvent) return 'skipped';
            const failure = follower.model.apply(modelEvent, index);
            follower.refused = failure !== undefined;
            return failure ? `refused by ${failure.machine} in ${failure.machineState}: ${failure.modelState}` : follower.model.describe();
          });
          expect(outcomes[1]).toBe(outcomes[0]);
          expect(outcomes[2]).toBe(outcomes[0]);
          compared += 1;
        }
        const [reference, ...memoised] = followers.map((follower) => ({ seen: follower.observer.seen, findings: follower.model.findings, missed: follower.model.finish() }));
        for (const candidate of memoised) expect(candidate).toEqual(reference);
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
