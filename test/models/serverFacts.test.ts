import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { FAULT_KINDS } from '../../world/faults/FaultKind.ts';

/**
 * A process that crashes after its request reached a server, but before the answer reached it, leaves the server's
 * fact without its own event. The models follow the server's facts, so conformance holds in these runs (both were
 * model-conformance false alarms under `--faults all`, found by `explore --property model-conformance --seed 11`).
 */
const runWithAllFaults = (overrides: Record<string, string>, runIndex: number) =>
  runScenario({ scenario: 'daily-digest', config: resolveConfig('v0.4', overrides), faults: [...FAULT_KINDS] }, new RandomChoiceSource(runSeed(11, runIndex)));

const indexOf = (events: readonly TraceEvent[], actor: string, kind: string): number => events.findIndex((event) => event.actor === actor && event.kind === kind);

describe('the models follow server-side facts', () => {
  it('a digest row stored just before its process died counts as recorded: the next check sees it posted', async () => {
    const run = await runWithAllFaults({}, 2994);
    const stored = run.events.findIndex((event) => event.kind === 'occurrence-stored');
    const exit = indexOf(run.events, 'host#1', 'process-exit');
    // The story this test is about: host#1's row is stored, then host#1 dies before it hears (no `recorded`).
    expect(stored).toBeGreaterThan(-1);
    expect(exit).toBeGreaterThan(stored);
    expect(run.events.slice(0, exit).some((event) => event.actor === 'host#1' && event.kind === 'recorded')).toBe(false);
    expect(run.violations.map((violation) => violation.property)).not.toContain('model-conformance');
  });

  it('manifest rows stored, and a lease released by an ack, after the sender died', async () => {
    const run = await runWithAllFaults({ wiring: 'retry', offset: 'durable' }, 317);
    const exit = indexOf(run.events, 'host#1', 'process-exit');
    expect(indexOf(run.events, 'agents-server', 'manifest-stored')).toBeLessThan(exit);
    expect(run.events.slice(exit).some((event) => event.kind === 'lease-released')).toBe(true);
    expect(run.violations).toEqual([]);
  });
});
