/**
 * How sure the suite must be that a mutant fails a property more often than the unmutated baseline does, when the
 * baseline fails it too: the chance that a mutant no worse than the baseline shows as many failing runs or more. With
 * the baseline's 19 failing runs in 3,000, a mutant no worse than it is wrongly detected about once in 4,000 (a
 * simulation of the test on the whole budget); over 46 mutants and two shared properties each, about 2 %.
 */
export const SEPARATION_P_VALUE_MAX = 0.001;

/** Failing runs of one property, and the runs they were counted over. */
export interface FailureCount {
  readonly failingRuns: number;
  readonly runs: number;
}

/**
 * Whether the mutant's failures of a property the baseline fails too are more than chance can explain: the
 * conditional binomial test of two Poisson rates. Given `n` failing runs in both explorations together, a mutant that
 * fails no more often than the baseline has each of them fall on its side with probability `mutant.runs / (mutant.runs
 * + baseline.runs)`; the mutant is told apart when `mutant.failingRuns` or more of `n` on its side is less likely than
 * {@link SEPARATION_P_VALUE_MAX}. Why a test at all: a mutant that changes how many choices a run draws shifts every
 * later run onto other answers, so its runs reach the baseline's own failures (the catch-up entity's skipped day,
 * docs/history.md F1) in runs other than the baseline's, at the baseline's rate: one such run proves nothing.
 */
export function exceedsBaseline(mutant: FailureCount, baseline: FailureCount): boolean {
  return upperTailProbability(mutant.failingRuns + baseline.failingRuns, mutant.failingRuns, mutant.runs / (mutant.runs + baseline.runs)) <= SEPARATION_P_VALUE_MAX;
}

/** P(X >= k) for X ~ Binomial(n, p), summed in log space (n reaches thousands). */
function upperTailProbability(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logChoose = logChooseOf(n, k);
  let total = 0;
  for (let successes = k; successes <= n; successes += 1) {
    total += Math.exp(logChoose + successes * logP + (n - successes) * logQ);
    // C(n, s + 1) = C(n, s) * (n - s) / (s + 1)
    logChoose += Math.log(n - successes) - Math.log(successes + 1);
  }
  return Math.min(1, total);
}

function logChooseOf(n: number, k: number): number {
  let sum = 0;
  for (let index = 1; index <= k; index += 1) sum += Math.log(n - k + index) - Math.log(index);
  return sum;
}
