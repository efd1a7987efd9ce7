import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { parseFaultList } from '../../world/faults/FaultKind.ts';
import { BOTH_FIXES, digestSpec, V04 } from '../acceptance/helpers.ts';

/**
 * The crash stories need the report's and the platform's faults; the network's (slow handlers, lost answers) add
 * findings of their own to the same runs (a handler that outlives its lease), which are not what these tests are about.
 */
const CRASH_WORLDS = parseFaultList('report,platform');

/** Runs of either configuration with the report's and the platform's faults until one shows `story`, or none in `runs`. */
async function firstRunShowing(switches: typeof V04, runs: number, story: (events: readonly TraceEvent[]) => boolean) {
  for (let runIndex = 0; runIndex < runs; runIndex += 1) {
    const run = await runScenario(digestSpec(switches, CRASH_WORLDS), new RandomChoiceSource(runSeed(11, runIndex)));
    if (story(run.events)) return run;
  }
  return undefined;
}

/** A process that died between a server's fact and its own answer: the fact happened, the process never heard. */
const diedBeforeHearing = (fact: (event: TraceEvent) => boolean) => (events: readonly TraceEvent[]): boolean => {
  const stored = events.findIndex(fact);
  if (stored < 0) return false;
  const peer = String(events[stored]!.detail['peer'] ?? '');
  const exit = events.findIndex((event, index) => index > stored && event.actor === peer && event.kind === 'process-exit' && event.detail['reason'] === 'crash');
  return exit > stored && !events.slice(stored, exit).some((event) => event.actor === peer && event.kind === 'step' && String(event.detail['task']).startsWith('response'));
};

/**
 * A process that crashes after its request reached a server, but before the answer reached it, leaves the server's
 * fact without its own event. The models follow the servers' facts, so conformance holds in these runs.
 */
describe('the models follow server-side facts', () => {
  it('a shared-state write stored just before its process crashed: the run conforms', async () => {
    const run = await firstRunShowing(V04, 3_000, diedBeforeHearing((event) => event.kind === 'shared-write' && event.detail['status'] === 200));
    expect(run, 'a run with a crash between a stored write and its answer').toBeDefined();
    expect(run!.violations.map((violation) => violation.property)).not.toContain('model-conformance');
  });

  it('manifest rows stored just before their process crashed: the run conforms', async () => {
    const run = await firstRunShowing(BOTH_FIXES, 3_000, diedBeforeHearing((event) => event.kind === 'manifest-stored' && event.detail['status'] === 204));
    expect(run, 'a run with a crash between a stored manifest and its answer').toBeDefined();
    expect(run!.violations.map((violation) => violation.property)).not.toContain('model-conformance');
  });
});
