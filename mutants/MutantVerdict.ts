import { decodeReplayToken, encodeReplayToken } from '../sim/replay/replayToken.ts';
import { isWorldCausedKind, parseViolationKind } from '../properties/index.ts';
import { exceedsBaseline } from './baselineSeparation.ts';
import type { ExplorationResult, FailingRun, FailingRunsResult, ReplayCheck } from './exploreInWorkspace.ts';

/**
 * A kind of failure both the mutant and the unmutated baseline show, with how many runs of the budget each showed it
 * in: a property, or a property and the cause its violations named (`concurrent-wake:restart-forgot-lease`).
 */
export interface SharedFailure {
  readonly property: string;
  readonly mutantRuns: number;
  readonly baselineRuns: number;
}

/**
 * What became of one mutant. Only `detected` counts towards the detection rate; `flagged` mutants are left out of
 * it, with the reason, because their result says nothing about the oracles.
 */
export type MutantVerdict =
  /**
   * `shared`: present when the baseline fails the property too; then the mutant was told apart by how often it fails
   * it, and `run` is the run by which its failures outnumbered the baseline's beyond chance (once confirmed, the first
   * failing run from there whose token replays clean on the unmutated tree: see {@link confirmDetection}).
   */
  | {
      readonly kind: 'detected';
      readonly property: string;
      /** The cause the detecting violations named, when the property tells causes apart (properties/Violation.ts). */
      readonly cause?: string;
      readonly run: number;
      readonly token: string;
      readonly shared?: SharedFailure;
      /**
       * With `shared`: the mutant's next runs that failed the property (at most {@link MAX_LATER_WITNESSES}), each with
       * its token. The detection rests on the count; any one of its runs may be one the baseline would fail too, so
       * the replay check tries these in turn when the quoted run's token shows the property on the unmutated tree.
       */
      readonly later?: ReadonlyArray<{ readonly run: number; readonly token: string }>;
    }
  /** `unseparated`: properties the mutant failed in some runs, but no more often than the baseline does. */
  | { readonly kind: 'survived'; readonly runsExecuted: number; readonly unseparated?: readonly SharedFailure[] }
  /** `token`: the run not counted, when there is one (a detection the replay check saw fail on the unmutated tree). */
  | { readonly kind: 'flagged'; readonly reason: string; readonly token?: string };

/**
 * Judges a mutant's exploration, up to its first finding, against the unmutated baseline. The runs the baseline fails
 * were ignored in the mutant's exploration, so its violations are in runs the unmutated runtime passes (for `random`,
 * `swarm` and `pct` exactly the same runs; `guided` derives its later generations from what it covered, which the
 * replay check of {@link confirmDetection} covers). A finding of a property the baseline fails in other runs is
 * judged again from the whole budget ({@link judgeByFailingRuns}). A violation against a baseline that could not be
 * measured (an error, a timeout) is flagged, so that no mutant is counted against an unknown baseline; so is a run of
 * the CLI that failed or timed out.
 */
export function judgeMutant(result: ExplorationResult, baseline: FailingRunsResult): MutantVerdict {
  switch (result.kind) {
    case 'clean':
      return { kind: 'survived', runsExecuted: result.runsExecuted };
    case 'violation':
      if (baseline.kind !== 'measured') return { kind: 'flagged', reason: `${result.property}, against an unmutated baseline that could not be measured` };
      return { kind: 'detected', property: result.property, run: result.run, token: result.token };
    case 'error':
    case 'timeout':
      return failedExploration(result);
  }
}

/** An exploration that the CLI refused, crashed on or did not finish in time says nothing about the oracles. */
function failedExploration(result: Extract<ExplorationResult, { kind: 'error' | 'timeout' }>): MutantVerdict {
  if (result.kind === 'error') return { kind: 'flagged', reason: `explore failed (exit ${result.exitCode ?? 'signal'}): ${result.message}` };
  return { kind: 'flagged', reason: `explore did not finish within ${Math.round(result.afterMs / 1000)} s` };
}

/**
 * Judges a mutant whose first finding was a property the baseline fails too, from every run of its budget it failed
 * (`explore --keep-going`, the baseline's failing runs ignored). A property the baseline never fails is detected at its
 * first run; one the baseline fails in some runs only when, over the whole budget, the mutant fails it in more runs
 * than chance explains (baselineSeparation.ts), quoted at the first run by which that held. The earliest detection
 * wins; when there is none the mutant survived, with the properties it failed no more often than the baseline.
 */
export function judgeByFailingRuns(mutant: FailingRunsResult, baseline: FailingRunsResult): MutantVerdict {
  if (mutant.kind !== 'measured') return failedExploration(mutant);
  if (baseline.kind !== 'measured') {
    const first = mutant.failingRuns[0];
    return first ? { kind: 'flagged', reason: `${first.properties[0]}, against an unmutated baseline that could not be measured` } : { kind: 'survived', runsExecuted: mutant.runsExecuted };
  }
  const ignoredRuns = ignoredRunsOf(baseline);
  const ignored = new Set(ignoredRuns);
  const failing = mutant.failingRuns.filter((run) => !ignored.has(run.run));
  // The ignored runs still run (`--ignore-runs`), but say nothing: the mutant is judged on the rest.
  const judgedRuns = baseline.runsExecuted - ignored.size;
  // Compared kind by kind (a property, or a property and a cause): a defect whose failures are of a kind the world
  // never causes is not lost among the world's own failures of the same property (properties/concurrentWake.ts).
  const kinds = [...new Set(failing.flatMap((run) => run.kinds))];
  const detections: Array<Extract<MutantVerdict, { kind: 'detected' }>> = [];
  const unseparated: SharedFailure[] = [];
  for (const kind of kinds) {
    const { property, cause } = parseViolationKind(kind);
    const named = cause === undefined ? {} : { cause };
    const mutantRuns = failing.filter((run) => run.kinds.includes(kind));
    const baselineRuns = baseline.failingRuns.filter((run) => run.kinds.includes(kind)).map((run) => run.run);
    // A kind the baseline never shows detects at once, unless it is the world's doing (a restart forgot the lease, the
    // network was out): a mutant that shifts its runs onto other answers meets those at the world's own rate, so
    // they count only when far more frequent than the baseline's none, as a shared property's do.
    if (baselineRuns.length === 0 && !isWorldCausedKind(kind)) {
      detections.push({ kind: 'detected', property, ...named, run: mutantRuns[0]!.run, token: tokenJudging(mutantRuns[0]!, property) });
      continue;
    }
    const shared = { property: kind, mutantRuns: mutantRuns.length, baselineRuns: baselineRuns.length };
    // Decided once, on the whole budget: testing again at every failing run would make a chance detection several
    // times likelier. The run quoted is where the evidence first sufficed, or the last failing run if it never did
    // before the end.
    if (!exceedsBaseline({ failingRuns: mutantRuns.length, runs: judgedRuns }, { failingRuns: baselineRuns.length, runs: baseline.runsExecuted })) {
      unseparated.push(shared);
      continue;
    }
    const at = firstSeparatingRun(mutantRuns, baselineRuns, ignoredRuns) ?? mutantRuns[mutantRuns.length - 1]!;
    const later = mutantRuns.filter((run) => run.run > at.run).slice(0, MAX_LATER_WITNESSES).map((run) => ({ run: run.run, token: tokenJudging(run, property) }));
    detections.push({ kind: 'detected', property, ...named, run: at.run, token: tokenJudging(at, property), shared, ...(later.length > 0 ? { later } : {}) });
  }
  const earliest = detections.reduce<(typeof detections)[number] | undefined>((best, next) => (best === undefined || next.run < best.run ? next : best), undefined);
  return earliest ?? { kind: 'survived', runsExecuted: mutant.runsExecuted, ...(unseparated.length > 0 ? { unseparated } : {}) };
}

/**
 * The failing run's token, judging `property`. `explore --keep-going` mints each run's token for the first property the
 * run violated; a detection by another property of the same run must carry its own, or replaying it (and the check of
 * {@link confirmDetection} on the unmutated tree) would judge the other property. The same property gives the same token.
 */
function tokenJudging(failing: FailingRun, property: string): string {
  const { spec, choices } = decodeReplayToken(failing.token);
  return encodeReplayToken({ spec: { ...(spec as Record<string, unknown>), property }, choices });
}

/**
 * The first of the mutant's failing runs by which, counting runs 1 to it, the mutant's failures exceed the baseline's
 * beyond chance (the mutant's runs counted without the ignored ones).
 */
function firstSeparatingRun(mutantRuns: readonly FailingRun[], baselineRuns: readonly number[], ignoredRuns: readonly number[]): FailingRun | undefined {
  return mutantRuns.find((failing, index) => {
    const ignoredSoFar = ignoredRuns.filter((run) => run <= failing.run).length;
    const baselineSoFar = baselineRuns.filter((run) => run <= failing.run).length;
    return exceedsBaseline({ failingRuns: index + 1, runs: failing.run - ignoredSoFar }, { failingRuns: baselineSoFar, runs: failing.run });
  });
}

/** Whether the unmutated baseline fails `property` in some run of the budget. */
export function baselineFails(baseline: FailingRunsResult, property: string): boolean {
  return baseline.kind === 'measured' && baseline.failingRuns.some((run) => run.properties.includes(property));
}

/** The runs the baseline fails, which every exploration of a mutant ignores (none when it could not be measured). */
export function ignoredRunsOf(baseline: FailingRunsResult): number[] {
  return baseline.kind === 'measured' ? baseline.failingRuns.map((run) => run.run) : [];
}

/**
 * How many later failing runs a detection by a property the baseline fails too offers the replay check, besides the
 * run where its count first exceeded the baseline's.
 */
export const MAX_LATER_WITNESSES = 5;

/**
 * A detection stands only if its token, replayed on the unmutated tree, does not show its property: otherwise the
 * same answers fail without the mutant, and the finding is the baseline's (for `guided`, whose later runs differ from
 * the baseline's, the run-number rule of {@link judgeMutant} cannot tell). A detection told apart by how often it fails
 * a property the baseline fails too (`shared`) stands on the count, and needs one run that fails only with the mutant:
 * when its quoted run's token shows the property on the unmutated tree, its `later` runs are tried in turn, and the
 * first that replays clean is quoted instead. A replay that failed flags the mutant.
 */
export async function confirmDetection(
  detected: Extract<MutantVerdict, { kind: 'detected' }>,
  replayUnmutated: (token: string) => Promise<ReplayCheck>,
): Promise<MutantVerdict> {
  const { later: _tried, ...quoted } = detected;
  for (const witness of [{ run: detected.run, token: detected.token }, ...(detected.later ?? [])]) {
    const check = await replayUnmutated(witness.token);
    if (check.kind === 'clean') return { ...quoted, run: witness.run, token: witness.token };
    if (check.kind === 'error') return { kind: 'flagged', reason: `${detected.property} at run ${witness.run}: ${check.message}` };
  }
  const tried = (detected.later?.length ?? 0) > 0 ? ` (as do the tokens of its next ${detected.later!.length} failing runs)` : '';
  return { kind: 'flagged', reason: `${detected.property} at run ${detected.run}: its token shows it on the unmutated tree too${tried}`, token: detected.token };
}
