/**
 * Records the trace hash of a handful of replay tokens across runtimes, configurations and fault worlds, for the
 * determinism test (test/sim/traceHashStability.test.ts): run once on the code before a change to the machinery, the
 * test then holds every later build to the same hashes.
 *
 * Usage: npx tsx bench/recordTraceHashes.ts > test/sim/fixtures/traceHashes.json
 */
import { RandomChoiceSource } from '../sim/choice/RandomChoiceSource.ts';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { replayTokenFor } from '../scenarios/replayTokens.ts';
import { runScenario } from '../scenarios/runScenario.ts';
import { parseFaultList } from '../world/faults/FaultKind.ts';

/** Configurations that exercise different code paths: the v0.4 default, the fixes, the library tier, the wire path. */
const CONFIGURATIONS: ReadonlyArray<{ readonly runtime: string; readonly switches: Record<string, string> }> = [
  { runtime: 'v0.4', switches: {} },
  { runtime: 'v0.4', switches: { wiring: 'retry', offset: 'durable' } },
  { runtime: 'v0.4', switches: { streams: 'real' } },
  { runtime: 'v0.4', switches: { transport: 'fetch' } },
  { runtime: 'v0.6', switches: {} },
];
const FAULT_WORLDS_USED = ['none', 'default', 'platform', 'network'];
const SEEDS_PER_CELL = 2;

const entries: Array<{ token: string; traceHash: string; steps: number; violations: string[] }> = [];
for (const { runtime, switches } of CONFIGURATIONS) {
  for (const world of FAULT_WORLDS_USED) {
    const spec = runSpecFor({ scenario: 'daily-digest', runtime, switches, faults: parseFaultList(world) });
    for (let seed = 1; seed <= SEEDS_PER_CELL; seed += 1) {
      const result = await runScenario(spec, new RandomChoiceSource(seed * 7919 + entries.length));
      entries.push({ token: replayTokenFor(spec, result.choices), traceHash: result.traceHash, steps: result.steps, violations: result.violations.map((violation) => violation.property) });
    }
  }
}
console.log(JSON.stringify(entries, null, 1));
