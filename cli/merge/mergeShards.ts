import { propertyNames } from '../../properties/index.ts';
import { GUIDED_PROGRESS_FIGURES } from '../../sim/strategies/GuidedStrategy.ts';
import { percentOf } from '../format/coverageFigures.ts';
import { faultKindsNeverStruck } from '../../world/faults/FaultKind.ts';

/**
 * Combines the `--json` outputs of `explore --shard i/n` or `matrix --shard i/n` (all n of them) into the object one
 * unsharded run over the same seeds prints.
 *
 * Why that is exact: run r's answers depend only on the seed and r (independent strategies only), a shard runs its
 * indexes in order and reports its lowest finding (explore) or its lowest run per violation kind (each matrix cell),
 * and shrinking is a deterministic function of the found run's answers. So the lowest run index over all shards is
 * the one the unsharded search stops at, and its shrunk story, token and trace hashes are the ones the unsharded
 * search prints. The run counts are recomputed as the unsharded search counts them: up to and including the finding
 * (explore), up to the last first-found kind when every kind was found (matrix), else the whole budget; and the
 * explore coverage is counted from each shard's first run per model transition, up to the winning finding.
 *
 * A strategy that plans in generations (`guided`) is searched by each shard on its own indexes, so its shards are n
 * separate searches: merged, they give the lowest finding among them, not what one unsharded search finds.
 */

/** A merge refused: incomplete or mixed shard sets, files that are not shard outputs. One line. */
export class MergeError extends Error {
  override name = 'MergeError';
}

/** One shard's output, parsed, with the file it came from (for messages). */
export interface ShardOutput {
  readonly source: string;
  readonly json: unknown;
}

export type MergedKind = 'explore' | 'matrix';

export interface MergeResult {
  readonly kind: MergedKind;
  readonly shards: number;
  /** The object the unsharded command prints with `--json`. */
  readonly merged: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Fields every shard of one search must agree on. */
const SAME_IN_EVERY_SHARD: Record<MergedKind, readonly string[]> = {
  explore: ['scenario', 'runtime', 'config', 'faults', 'seed', 'strategy', 'runsRequested', 'shrinkAttempts', 'properties'],
  matrix: ['scenario', 'runtime', 'base', 'varied', 'faults', 'strategy', 'shrinkAttempts', 'runsPerCell', 'seed'],
};

/** Merges the outputs of every shard of one `explore` or `matrix` search. */
export function mergeShards(outputs: readonly ShardOutput[]): MergeResult {
  if (outputs.length === 0) throw new MergeError('merge: expected the --json output files of every shard');
  const kinds = outputs.map(kindOf);
  const kind = kinds[0]!;
  const mixed = outputs.find((_, index) => kinds[index] !== kind);
  if (mixed) throw new MergeError(`merge: ${mixed.source} is ${article(kinds[outputs.indexOf(mixed)]!)} output, ${outputs[0]!.source} ${article(kind)} output`);
  const shards = orderedShards(outputs);
  const first = shards[0]!;
  for (const shard of shards) {
    for (const field of SAME_IN_EVERY_SHARD[kind]) {
      if (JSON.stringify(searchSetting(shard.json, field)) !== JSON.stringify(searchSetting(first.json, field))) {
        throw new MergeError(`merge: ${shard.source} and ${first.source} are shards of different searches (their "${field}" differ)`);
      }
    }
  }
  return { kind, shards: shards.length, merged: kind === 'explore' ? mergeExplore(shards) : mergeMatrix(shards) };
}

/**
 * A field that identifies the search, without the figures a strategy reports about its own progress (a guided shard's
 * corpus is its own, so they differ between shards of one search).
 */
function searchSetting(json: Json, field: string): unknown {
  const value = json[field];
  if (field !== 'strategy' || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !(GUIDED_PROGRESS_FIGURES as readonly string[]).includes(name)));
}

interface Numbered {
  readonly source: string;
  readonly json: Json;
  readonly index: number;
}

function kindOf(output: ShardOutput): MergedKind {
  const json = output.json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    if (Array.isArray((json as Json)['cells'])) return 'matrix';
    if ('runsRequested' in json && 'finding' in json) return 'explore';
  }
  throw new MergeError(`merge: ${output.source} is not the --json output of explore or matrix`);
}

const article = (kind: MergedKind): string => (kind === 'explore' ? 'an explore' : 'a matrix');

/** The outputs in shard order, checked to be shards 1..n of one n, each once. */
function orderedShards(outputs: readonly ShardOutput[]): Numbered[] {
  const numbered = outputs.map((output) => {
    const json = output.json as Json;
    const shard = json['shard'] as { index?: unknown; count?: unknown } | undefined;
    if (typeof shard !== 'object' || shard === null || !Number.isInteger(shard.index) || !Number.isInteger(shard.count)) {
      throw new MergeError(`merge: ${output.source} has no shard (write it with --shard i/n --json)`);
    }
    return { source: output.source, json, index: shard.index as number, count: shard.count as number };
  });
  const count = numbered[0]!.count;
  const other = numbered.find((entry) => entry.count !== count);
  if (other) throw new MergeError(`merge: ${other.source} is shard ${other.index}/${other.count}, ${numbered[0]!.source} shard ${numbered[0]!.index}/${count}`);
  const byIndex = new Map<number, Numbered>();
  for (const entry of numbered) {
    const twice = byIndex.get(entry.index);
    if (twice) throw new MergeError(`merge: shard ${entry.index}/${count} given twice (${twice.source}, ${entry.source})`);
    byIndex.set(entry.index, entry);
  }
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) throw new MergeError(`merge: missing shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')}`);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** The finding with the lowest run index wins; without one anywhere, the search ran its whole budget. */
function mergeExplore(shards: readonly Numbered[]): Json {
  let winner: Numbered | undefined;
  for (const shard of shards) {
    const runIndex = findingRun(shard);
    if (runIndex !== undefined && (winner === undefined || runIndex < findingRun(winner)!)) winner = shard;
  }
  const { shard: _shard, ...merged } = (winner ?? shards[0]!).json;
  merged['runsExecuted'] = winner ? findingRun(winner)! + 1 : merged['runsRequested'];
  merged['coverage'] = mergeCoverage(shards, winner ? findingRun(winner)! : Infinity, merged['faults']);
  return merged;
}

/**
 * The model transitions some shard took at or before run `lastRunIndex`: what the unsharded search's runs took; and
 * the fault kinds asked for that no shard's runs up to there injected.
 */
function mergeCoverage(shards: readonly Numbered[], lastRunIndex: number, faults: unknown): Json {
  const taken = new Set<string>();
  const struck = new Set<string>();
  let total = 0;
  let followed = true;
  for (const shard of shards) {
    const coverage = shard.json['coverage'] as
      | { modelTransitions?: { total?: unknown; followed?: unknown }; firstRuns?: Record<string, unknown>; faultFirstRuns?: Record<string, unknown> }
      | undefined;
    if (coverage?.firstRuns === undefined || coverage.faultFirstRuns === undefined || typeof coverage.modelTransitions?.total !== 'number') {
      throw new MergeError(`merge: ${shard.source} has no coverage of its runs (write it with this version's --shard i/n --json)`);
    }
    total = coverage.modelTransitions.total;
    if (coverage.modelTransitions.followed === false) followed = false;
    for (const [key, first] of Object.entries(coverage.firstRuns)) if (typeof first === 'number' && first <= lastRunIndex) taken.add(key);
    for (const [kind, first] of Object.entries(coverage.faultFirstRuns)) if (typeof first === 'number' && first <= lastRunIndex) struck.add(kind);
  }
  const asked = Array.isArray(faults) ? faults.map(String) : [];
  return {
    modelTransitions: { covered: taken.size, total, percent: percentOf(taken.size, total), ...(followed ? {} : { followed: false }) },
    faultsNeverStruck: faultKindsNeverStruck(asked, struck),
  };
}

function findingRun(shard: Numbered): number | undefined {
  const finding = shard.json['finding'] as { runIndex?: unknown } | null;
  if (finding === null || finding === undefined) return undefined;
  if (!Number.isInteger(finding.runIndex)) throw new MergeError(`merge: ${shard.source} has a finding without a run index`);
  return finding.runIndex as number;
}

interface CellJson {
  readonly config: unknown;
  readonly runs: number;
  readonly findings: ReadonlyArray<{ readonly property: string; readonly runsToFirst: number }>;
}

/** Per cell and violation kind, the finding of the lowest run. */
function mergeMatrix(shards: readonly Numbered[]): Json {
  const first = shards[0]!.json;
  const cellsOf = (shard: Numbered): CellJson[] => shard.json['cells'] as CellJson[];
  const configs = cellsOf(shards[0]!).map((cell) => JSON.stringify(cell.config));
  for (const shard of shards) {
    const mine = cellsOf(shard).map((cell) => JSON.stringify(cell.config));
    if (JSON.stringify(mine) !== JSON.stringify(configs)) throw new MergeError(`merge: ${shard.source} and ${shards[0]!.source} are shards of different searches (their cells differ)`);
  }
  const runsPerCell = first['runsPerCell'] as number;
  const cells = configs.map((_, cellIndex) => {
    const findings = propertyNames().flatMap((property) => {
      const candidates = shards.flatMap((shard) => cellsOf(shard)[cellIndex]!.findings.filter((finding) => finding.property === property));
      if (candidates.length === 0) return [];
      return [candidates.reduce((best, candidate) => (candidate.runsToFirst < best.runsToFirst ? candidate : best))];
    });
    const everyKind = findings.length === propertyNames().length;
    return {
      config: cellsOf(shards[0]!)[cellIndex]!.config,
      runs: everyKind ? Math.max(...findings.map((finding) => finding.runsToFirst)) : runsPerCell,
      findings,
    };
  });
  // The fields in the order `matrix --json` prints them; the library's outputs (fixMatrix) have no runtime, base or
  // varied, and the merge has none either.
  const described = Object.fromEntries(['scenario', 'runtime', 'base', 'varied', 'faults', 'strategy', 'shrinkAttempts'].filter((field) => field in first).map((field) => [field, first[field]]));
  return { ...described, runsPerCell, seed: first['seed'], cells };
}
