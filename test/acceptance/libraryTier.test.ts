import { describe, expect, it } from 'vitest';
import { explore } from '../../scenarios/explore.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { propertyNames } from '../../properties/index.ts';
import { digestSpec, HARDENED } from './helpers.ts';

/**
 * Issue 5: the library tier (`streams=real`): shared-state DBs are real `@durable-streams/state` StreamDBs over
 * `@durable-streams/client`, and the runner follows its wake stream with the client's `stream()`, all talking HTTP to
 * the simulated service in process. The preload failures come out of the real packages; the simulator still finds
 * the duplicate and the wake replay, replays them, and reports the same-DB retry as a hang.
 */
const real = (overrides: Record<string, string> = {}) => ({ ...overrides, streams: 'real' });

describe('library tier', () => {
  it('explore finds the v0.4 duplicate, and its token replays to the same trace', async () => {
    const report = await explore({
      spec: digestSpec(real()),
      maxRuns: 100,
      seed: 1,
      properties: ['duplicate-action'],
      maxShrinkAttempts: 150,
    });
    const finding = report.finding!;
    expect(finding.property).toBe('duplicate-action');
    const request = readReplayToken(finding.replayToken);
    expect(request.spec.config.streams).toBe('real');
    const replayed = await replay(request);
    expect(replayed.traceHash).toBe(finding.shrunk.traceHash);
  });

  it('the preload failures are the real packages\' errors: the client\'s 404 and the guard\'s TypeError', async () => {
    const errors = new Set<string>();
    for (const faults of [['preload-not-found'], ['preload-foreign-item']] as const) {
      const report = await explore({ spec: digestSpec(real(), faults), maxRuns: 50, seed: 1, properties: ['unwired-resolve'], maxShrinkAttempts: 0 });
      for (const event of report.finding!.original.events) if (event.kind === 'preload-failed') errors.add(String(event.detail['error']));
    }
    expect([...errors]).toContainEqual(expect.stringMatching(/^FetchError: HTTP Error 404 at http:\/\/durable-streams\.sim\/v1\/stream\/shared\/digest-log/));
    expect([...errors]).toContainEqual(expect.stringMatching(/^TypeError: Cannot use 'in' operator to search for 'control' in undefined/));
  });

  it('the runner reads its wake stream over HTTP with the client, and defect A\'s replay is found there', async () => {
    const report = await explore({ spec: digestSpec(real(), ['redeploy']), maxRuns: 50, seed: 1, properties: ['wake-replay'], maxShrinkAttempts: 0 });
    const run = report.finding!.original;
    const steps = run.events.filter((event) => event.kind === 'step').map((event) => String(event.detail['task']));
    expect(steps).toContainEqual(expect.stringMatching(/^request GET \/v1\/stream\/runners\/runner-1\/wake from host#1$/));
    // Through the client: its reads carry the client's own query (`live=long-poll&offset=...` and a cursor), seen by the service.
    expect(run.events.some((event) => event.kind === 'stream-read' && event.detail['peer'] === 'host#1' && event.detail['live'] === true)).toBe(true);
    const replayed = run.violations.find((violation) => violation.property === 'wake-replay')!;
    expect(replayed.message).toMatch(/^host#2 was served the wake sub:digest-1#\d+ at \S+ again, already processed by an earlier runner/);
    expect((await replay(readReplayToken(report.finding!.replayToken))).traceHash).toBe(report.finding!.shrunk.traceHash);
  });

  it('wiring=retry-same-db is reported as a hang, with the pending work listed', async () => {
    const report = await explore({
      spec: digestSpec(real({ wiring: 'retry-same-db', offset: 'durable' }), ['preload-not-found']),
      maxRuns: 50,
      seed: 1,
      properties: ['hang'],
      maxShrinkAttempts: 0,
    });
    const hang = report.finding!.original.violations.find((violation) => violation.property === 'hang')!;
    expect(hang.message).toMatch(/pending: host#\d+: handler of digest-1 for wake w_\d+/);
    expect(report.finding!.original.endedBy).not.toBe('step-budget');
  });

  // Both fixes alone show stuck-claim at run 1 here (a redeploy abandons a wake, and nothing releases its claim row).
  it('the hardened preset is clean over 300 runs', { timeout: 300_000 }, async () => {
    const report = await explore({ spec: digestSpec(real({ ...HARDENED })), maxRuns: 300, seed: 2026, properties: propertyNames(), maxShrinkAttempts: 0 });
    expect(report.runsExecuted).toBe(300);
    expect(report.finding).toBeUndefined();
  });
});
