import type { ExplorationResult, FailingRunsResult, ReplayCheck } from './exploreInWorkspace.ts';

/**
 * What became of one mutant. Only `detected` counts towards the detection rate; `flagged` mutants are left out of
 * it, with the reason, because their result says nothing about the oracles.
 */
export type MutantVerdict =
  | { readonly kind: 'detected'; readonly property: string; readonly run: number; readonly token: string }
  | { readonly kind: 'survived'; readonly runsExecuted: number }
  /** `token`: the run not counted, when there is one (a detection the replay check saw fail on the unmutated tree). */
  | { readonly kind: 'flagged'; readonly reason: string; readonly token?: string };

/**
 * Judges a mutant's exploration against the unmutated baseline. The runs the baseline fails were ignored in the
 * mutant's exploration, so its violations are in runs the unmutated runtime passes (for `random`, `swarm` and `pct`
 * exactly the same runs; `guided` derives its later generations from what it covered, which the replay check of
 * {@link confirmDetection} covers). A violation against a baseline that could not be measured (an error, a timeout) is
 * flagged, so that no mutant is counted against an unknown baseline; so is a run of the CLI that failed or timed out.
 */
export function judgeMutant(result: ExplorationResult, baseline: FailingRunsResult): MutantVerdict {
  switch (result.kind) {
    case 'clean':
      return { kind: 'survived', runsExecuted: result.runsExecuted };
    case 'violation':
      if (baseline.kind !== 'measured') return { kind: 'flagged', reason: `${result.property}, against an unmutated baseline that could not be measured` };
      return { kind: 'detected', property: result.property, run: result.run, token: result.token };
    case 'error':
      return { kind: 'flagged', reason: `explore failed (exit ${result.exitCode ?? 'signal'}): ${result.message}` };
    case 'timeout':
      return { kind: 'flagged', reason: `explore did not finish within ${Math.round(result.afterMs / 1000)} s` };
  }
}

/** The runs the baseline fails, which every exploration of a mutant ignores (none when it could not be measured). */
export function ignoredRunsOf(baseline: FailingRunsResult): number[] {
  return baseline.kind === 'measured' ? baseline.failingRuns.map((run) => run.run) : [];
}

/**
 * A detection stands only if its token, replayed on the unmutated tree, does not show its property: otherwise the
 * same answers fail without the mutant, and the finding is the baseline's (for `guided`, whose later runs differ from
 * the baseline's, the run-number rule of {@link judgeMutant} cannot tell). A replay that failed flags the mutant.
 */
export function confirmDetection(detected: Extract<MutantVerdict, { kind: 'detected' }>, check: ReplayCheck): MutantVerdict {
  switch (check.kind) {
    case 'clean':
      return detected;
    case 'reproduces':
      return { kind: 'flagged', reason: `${detected.property} at run ${detected.run}: its token shows it on the unmutated tree too`, token: detected.token };
    case 'error':
      return { kind: 'flagged', reason: `${detected.property} at run ${detected.run}: ${check.message}` };
  }
}
