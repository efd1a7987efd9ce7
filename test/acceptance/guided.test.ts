import { describe, expect, it } from 'vitest';
import { exploreReportJson } from '../../cli/format/exploreReport.ts';
import { mergeShards } from '../../cli/merge/mergeShards.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { coverageKeysOf, modelTransitionCoverage } from '../../scenarios/coverageKeys.ts';
import { explore, type ExploreRequest } from '../../scenarios/explore.ts';
import { fixMatrix, type MatrixRequest } from '../../scenarios/fixMatrix.ts';
import { readReplayToken, replay, replayTokenFor } from '../../scenarios/replayTokens.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import { DEFAULT_GUIDED_OPTIONS } from '../../sim/strategies/GuidedStrategy.ts';
import { BOTH_FIXES, digestSpec, HARDENED, V04 } from './helpers.ts';

/** Issue 15: `--strategy guided` on the digest scenario, and the coverage figure every explore reports. */

const guided = { name: 'guided' } as const;
const exploreJson = async (request: ExploreRequest): Promise<string> => JSON.stringify(exploreReportJson(await explore(request)), null, 2);

describe('explore --strategy guided', () => {
  it('finds the v0.4 duplicate; the shrunk token and the original run replay to the same trace hashes', { timeout: 120_000 }, async () => {
    const report = await explore({ spec: digestSpec(V04), maxRuns: 300, seed: 1, strategy: guided, properties: ['duplicate-action'], maxShrinkAttempts: 300 });
    const finding = report.finding!;
    expect(finding.property).toBe('duplicate-action');
    const replayed = await replay(readReplayToken(finding.replayToken));
    expect(replayed.traceHash).toBe(finding.shrunk.traceHash);
    const original = await replay(readReplayToken(replayTokenFor(digestSpec(V04), finding.original.choices)));
    expect(original.traceHash).toBe(finding.original.traceHash);
  });

  it('with --draw uniform, its first generation is random’s runs: the same first v0.4 duplicate, token for token', { timeout: 120_000 }, async () => {
    const request = { spec: digestSpec(V04), maxRuns: 60, seed: 1, properties: ['duplicate-action' as const], maxShrinkAttempts: 0 };
    const uniform = await explore({ ...request, strategy: { name: 'guided', guided: { ...DEFAULT_GUIDED_OPTIONS, draw: 'uniform' } } });
    const random = await explore(request);
    expect(uniform.finding!.runIndex).toBe(random.finding!.runIndex);
    expect(uniform.finding!.replayToken).toBe(random.finding!.replayToken);
    expect(uniform.strategy.figures['draw']).toBe('uniform');
    const swarm = await explore({ ...request, strategy: guided });
    expect(swarm.strategy.figures['draw']).toBe('swarm');
    expect(swarm.finding!.replayToken).not.toBe(random.finding!.replayToken);
  });

  it('runs derived from the corpus replay from their recorded answers alone', { timeout: 120_000 }, async () => {
    const derived: RunResult[] = [];
    await explore({
      // The hardened configuration posts nothing twice in these runs: the search goes on into the second generation.
      spec: digestSpec(HARDENED),
      maxRuns: 80,
      seed: 3,
      strategy: guided,
      properties: ['duplicate-action'],
      maxShrinkAttempts: 0,
      // Runs 64 on are the second generation: derived from the first generation's corpus.
      onRun: (runIndex, result) => void (runIndex >= 64 && derived.push(result)),
    });
    expect(derived).toHaveLength(16);
    for (const result of derived) expect((await runScenario(result.spec, new RecordedChoiceSource(result.choices))).traceHash).toBe(result.traceHash);
  });

  it('gives the same report on two worker threads as in one thread, and reports its corpus', { timeout: 180_000 }, async () => {
    const request: ExploreRequest = { spec: digestSpec(HARDENED), maxRuns: 140, seed: 2, strategy: guided, properties: ['duplicate-action'], maxShrinkAttempts: 0 };
    const oneThread = await exploreJson(request);
    const parsed = JSON.parse(oneThread) as { strategy: Record<string, number>; coverage: { modelTransitions: { covered: number } } };
    expect(parsed.strategy).toMatchObject({ generationRuns: 64, generationsEnded: 2 });
    expect(parsed.strategy['corpusEntries']).toBeGreaterThan(0);
    expect(parsed.coverage.modelTransitions.covered).toBeGreaterThan(0);
    expect(await exploreJson({ ...request, workers: 2 })).toBe(oneThread);
  });

  it('sharded, merging the shards keeps the lowest finding among them', { timeout: 180_000 }, async () => {
    const request: ExploreRequest = { spec: digestSpec(V04), maxRuns: 60, seed: 5, strategy: guided, properties: ['duplicate-action'], maxShrinkAttempts: 0 };
    const outputs = [];
    for (const index of [1, 2]) outputs.push({ source: `shard ${index}`, json: JSON.parse(await exploreJson({ ...request, shard: { index, count: 2 } })) as unknown });
    const runIndexes = outputs.map((output) => (output.json as { finding: { runIndex: number } | null }).finding?.runIndex ?? Infinity);
    const merged = mergeShards(outputs).merged as { finding: { runIndex: number } };
    expect(merged.finding.runIndex).toBe(Math.min(...runIndexes));
  });
});

describe('matrix --strategy guided', () => {
  it('gives the same cells on two worker threads as in one thread; each finding replays from its token', { timeout: 240_000 }, async () => {
    // Generations of 8 runs: the first findings of both fixes (a wiring retry that outlives its lease, so a second wake
    // of the entity starts beside it; a claim a redeploy leaves behind) come in a later generation, and their shrinking
    // on a worker starts from the run's plan, not from the strategy (a worker's fresh strategy has no corpus).
    const request: MatrixRequest = {
      scenario: 'daily-digest',
      faults: digestSpec(V04).faults,
      runsPerCell: 40,
      seed: 1,
      strategy: { name: 'guided', guided: { ...DEFAULT_GUIDED_OPTIONS, generationRuns: 8 } },
      maxShrinkAttempts: 20,
      configs: [BOTH_FIXES],
    };
    const oneThread = await fixMatrix(request);
    const findings = oneThread.flatMap((cell) => cell.findings);
    expect(Math.max(...findings.map((finding) => finding.runsToFirst))).toBeGreaterThan(8);
    expect(JSON.stringify(await fixMatrix({ ...request, workers: 2 }))).toBe(JSON.stringify(oneThread));
    for (const finding of findings) {
      const replayed = await replay(readReplayToken(finding.replay));
      expect(replayed.violations.map((violation) => violation.property)).toContain(finding.property);
    }
  });
});

describe('coverage figure', () => {
  it('counts the model transitions the runs up to the finding took', { timeout: 60_000 }, async () => {
    const report = await explore({ spec: digestSpec(V04), maxRuns: 50, seed: 1, properties: ['duplicate-action'], maxShrinkAttempts: 0 });
    const runs = report.finding!.runIndex + 1;
    const keys = new Set<string>();
    const sequential = await explore({
      spec: digestSpec(V04),
      maxRuns: runs,
      seed: 1,
      properties: [],
      maxShrinkAttempts: 0,
      onRun: (_, result) => coverageKeysOf(result).forEach((key) => keys.add(key)),
    });
    expect(report.coverage.modelTransitions).toEqual(modelTransitionCoverage([...keys]));
    expect(sequential.coverage.modelTransitions).toEqual(report.coverage.modelTransitions);
    expect(report.coverage.modelTransitions.covered).toBeGreaterThan(10);
  });
});
