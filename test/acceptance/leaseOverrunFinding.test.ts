import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

describe('wiring=retry: a long shared-stream outage makes the retry loop outlive its lease', () => {
  it('a second wake of the entity starts beside the retrying one; the models refuse it, and the shrunk story needs only the outage', async () => {
    const report = await explore({ spec: digestSpec(BOTH_FIXES, ['stream-outage']), maxRuns: 200, seed: 1, properties: ['model-conformance'], maxShrinkAttempts: 300 });
    const finding = report.finding!;
    const conformance = finding.shrunk.violations.find((violation) => violation.property === 'model-conformance')!;
    expect(conformance.message).toMatch(/still active\) cannot take WAKE_START/);
    const events = finding.shrunk.events;
    expect(events.filter((event) => event.kind === 'fault').map((event) => event.detail['kind'])).toEqual(['stream-outage']);
    // The lease ran out while the first wake was still retrying its preload, and the next wake began before it ended.
    const firstWake = String(events.find((event) => event.kind === 'wake-start')!.detail['wakeId']);
    const expiry = events.findIndex((event) => event.kind === 'lease-ended' && event.detail['reason'] === 'expired');
    const secondStart = events.findIndex((event) => event.kind === 'wake-start' && event.detail['wakeId'] !== firstWake);
    const firstEnd = events.findIndex((event) => ['wake-acked', 'ack-failed', 'wake-failed', 'wake-abandoned'].includes(event.kind) && event.detail['wakeId'] === firstWake);
    expect(events.slice(0, expiry).some((event) => event.kind === 'preload-failed' && event.detail['handling'] === 'retry')).toBe(true);
    expect(secondStart).toBeGreaterThan(expiry);
    expect(firstEnd === -1 || firstEnd > secondStart).toBe(true);
  });
});
