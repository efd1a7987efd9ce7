import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';

/**
 * One day, one message two minutes in (after the 09:00 tick's wake), no faults: two wakes, the second of which
 * must restore the shared DB from the manifest the first one committed.
 */
const TWO_WAKES = [0, 1, 120_000];

/**
 * The v0.4 runtime with a planted defect between it and the wire: its manifest commits never leave the process, yet
 * they are answered 204 (it still annotates manifest-committed).
 */
const skipsManifestCommit: RuntimeUnderTest = {
  ...v04Runtime,
  startHost: (host) =>
    v04Runtime.startHost({
      ...host,
      transport: (request) =>
        request.method === 'POST' && request.url.endsWith('/manifest') ? Promise.resolve({ status: 204, headers: {}, body: '' }) : host.transport(request),
    }),
};

describe('conformance checking', () => {
  it('accepts the faithful runtime on the same story', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(TWO_WAKES));
    expect(result.events.filter((event) => event.kind === 'wake-start')).toHaveLength(2);
    expect(result.violations).toEqual([]);
  });

  it('catches a runtime that skips the manifest commit, at the annotation that says it committed', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(TWO_WAKES), { runtime: skipsManifestCommit });
    const conformance = result.violations.filter((violation) => violation.property === 'model-conformance');
    expect(conformance).toHaveLength(1);
    const [failure] = conformance;
    // The runtime says it committed; the agents server never stored the rows (no manifest-stored observation).
    const committed = result.events.find((event) => event.kind === 'manifest-committed')!;
    expect(result.events.some((event) => event.kind === 'manifest-stored')).toBe(false);
    expect(failure!.eventIndex).toBe(result.events.indexOf(committed));
    expect(failure!.step).toBe(committed.step);
    expect(failure!.message).toContain('wiringChain in state resolvedWired cannot take MANIFEST_COMMITTED');
    expect(failure!.message).toMatch(/\(annotation: host#1 manifest-committed /);
  });

  it('without its annotations the system models see no lie, and protocol sees the missing commit at each done', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(TWO_WAKES), { runtime: skipsManifestCommit, dropAnnotations: true });
    expect(result.events.some((event) => event.annotation)).toBe(false);
    // Judged from the agents server (no manifest-stored, a done that acked) and the entity's own probes (it observed
    // digest-log, its handler returned): one violation per wake, at the done.
    const dones = result.events.filter((event) => event.kind === 'done-received');
    expect(dones).toHaveLength(2);
    expect(result.violations.map((violation) => [violation.property, violation.eventIndex, violation.message.split(':')[0]])).toEqual(
      dones.map((done) => ['protocol', result.events.indexOf(done), 'manifest not committed']),
    );
  });
});
