import { describe, expect, it } from 'vitest';
import { exploreReportJson } from '../../cli/format/exploreReport.ts';
import { mergeShards } from '../../cli/merge/mergeShards.ts';
import { explore, type ExploreRequest } from '../../scenarios/explore.ts';
import { fixMatrix, type MatrixRequest } from '../../scenarios/fixMatrix.ts';
import { BOTH_FIXES, digestSpec, V04 } from './helpers.ts';

/**
 * Issue 6, scale-out: n shards merged, and k worker threads, give byte for byte the JSON one unsharded search in one
 * thread gives for the same seeds: the same finding, tokens and trace hashes, the same run counts.
 */

const SHARDS = 3;
const shardsOf = (count: number): Array<{ index: number; count: number }> => Array.from({ length: count }, (_, index) => ({ index: index + 1, count }));

const exploreJson = async (request: ExploreRequest): Promise<string> => JSON.stringify(exploreReportJson(await explore(request)), null, 2);

/** Computes once, on first use: several tests compare against the same one-thread result, the file's costliest part. */
function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= compute());
}

async function mergedExplore(request: ExploreRequest): Promise<string> {
  const outputs = [];
  for (const shard of shardsOf(SHARDS)) outputs.push({ source: `shard ${shard.index}`, json: JSON.parse(await exploreJson({ ...request, shard })) as unknown });
  return JSON.stringify(mergeShards(outputs).merged, null, 2);
}

/** The object `matrix --json` prints. */
const matrixJson = async (request: MatrixRequest): Promise<string> =>
  JSON.stringify(
    {
      scenario: request.scenario,
      faults: request.faults,
      strategy: request.strategy?.name ?? 'random',
      runsPerCell: request.runsPerCell,
      seed: request.seed,
      cells: await fixMatrix(request),
      ...(request.shard ? { shard: request.shard } : {}),
    },
    null,
    2,
  );

describe('explore, scaled out', () => {
  // Seed 5 with duplicate-action: the first finding is run #2, in shard 3/3; shards 1/3 and 2/3 find later runs.
  const v04: ExploreRequest = { spec: digestSpec(V04), maxRuns: 40, seed: 5, properties: ['duplicate-action'], maxShrinkAttempts: 80 };
  const v04OneThread = once(() => exploreJson(v04));

  it('shards 1/3, 2/3, 3/3 merged give the unsharded finding, token and trace hashes', { timeout: 60_000 }, async () => {
    const unsharded = await v04OneThread();
    const parsed = JSON.parse(unsharded) as { finding: { runIndex: number; replay: string; shrunk: { traceHash: string } } };
    expect(parsed.finding.runIndex % SHARDS).not.toBe(0); // the winning shard is not the first one
    expect(await mergedExplore(v04)).toBe(unsharded);
  });

  it('--workers 2 gives the same report as one thread, with and without a finding', { timeout: 60_000 }, async () => {
    expect(await exploreJson({ ...v04, workers: 2 })).toBe(await v04OneThread());
    const clean: ExploreRequest = { spec: digestSpec(BOTH_FIXES), maxRuns: 24, seed: 9, properties: ['duplicate-action'], maxShrinkAttempts: 10 };
    const oneThread = await exploreJson(clean);
    expect((JSON.parse(oneThread) as { runsExecuted: number }).runsExecuted).toBe(24);
    expect(await exploreJson({ ...clean, workers: 2 })).toBe(oneThread);
    expect(await mergedExplore(clean)).toBe(oneThread);
  });

  it('refuses to split an exhaustive search', async () => {
    await expect(explore({ ...v04, strategy: { name: 'exhaustive' }, shard: { index: 1, count: 2 } })).rejects.toThrow(/needs a strategy whose runs are independent/);
  });
});

describe('fix matrix, scaled out', () => {
  const matrix: MatrixRequest = {
    scenario: 'daily-digest',
    faults: digestSpec(V04).faults,
    runsPerCell: 18,
    seed: 1,
    maxShrinkAttempts: 25,
    configs: [V04, BOTH_FIXES],
  };
  /** Each shrunk run as the matrix hands it to `onFinding`: property, trace hash, token. */
  const seen = (into: string[]) => (shrunk: { traceHash: string }, replay: string, property: string) => into.push(`${property} ${shrunk.traceHash} ${replay}`);
  const matrixOneThread = once(async () => {
    const handed: string[] = [];
    return { json: await matrixJson({ ...matrix, onFinding: seen(handed) }), handed };
  });

  it('shards 1/3, 2/3, 3/3 merged give the unsharded cells (per cell and kind, the lowest run)', { timeout: 90_000 }, async () => {
    const unsharded = (await matrixOneThread()).json;
    expect((JSON.parse(unsharded) as { cells: Array<{ findings: unknown[] }> }).cells[0]!.findings.length).toBeGreaterThan(1);
    const outputs = [];
    for (const shard of shardsOf(SHARDS)) outputs.push({ source: `shard ${shard.index}`, json: JSON.parse(await matrixJson({ ...matrix, shard })) as unknown });
    expect(JSON.stringify(mergeShards(outputs).merged, null, 2)).toBe(unsharded);
  });

  it('--workers 2 gives the same cells as one thread, and hands every shrunk run to onFinding in the same order', { timeout: 90_000 }, async () => {
    const oneThread = await matrixOneThread();
    const twoWorkers: string[] = [];
    expect(await matrixJson({ ...matrix, workers: 2, onFinding: seen(twoWorkers) })).toBe(oneThread.json);
    expect(twoWorkers).toEqual(oneThread.handed);
    expect(oneThread.handed.length).toBeGreaterThan(0);
  });
});
