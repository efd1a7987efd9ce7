import { reachableCoverage, type ReachableCoverage } from '../../models/coverage/reachableTransitions.ts';
import { modelConfigOf } from '../../models/modelConfig.ts';
import { modelTransitionIds } from '../../scenarios/coverageKeys.ts';
import type { ExploreReport } from '../../scenarios/explore.ts';
import { percentOf } from './coverageFigures.ts';

/**
 * The coverage of what is reachable, for `explore --coverage-gaps`: the transitions the runs took against those model
 * checking reaches in the run's configuration and fault set. Undefined for a scenario the models do not follow.
 */
export function coverageGapsOf(report: ExploreReport): ReachableCoverage | undefined {
  const taken = modelTransitionIds([...report.coverage.firstRuns.keys()]);
  if (taken.length === 0) return undefined;
  const { spec } = report.request;
  return reachableCoverage(modelConfigOf(spec.config as Record<string, string>), spec.faults, taken);
}

/** The text lines: the figure, then each transition the check reaches and no run took. */
export function coverageGapLines(gaps: ReachableCoverage): string[] {
  const lines = [
    `reachable coverage: ${gaps.covered} of ${gaps.total} transitions reachable in this configuration and fault set (${percentOf(gaps.covered, gaps.total)} %)` +
      (gaps.beyondCheck > 0 ? `; ${gaps.beyondCheck} of them taken by runs beyond what models check reaches` : ''),
  ];
  if (gaps.missed.length === 0) return lines;
  lines.push('  reachable in the model (models check), taken by no run:');
  for (const transition of gaps.missed) {
    const guard = transition.guard ? ` [${transition.guard}]` : '';
    const targets = transition.targets.length > 0 ? ` -> ${transition.targets.join(', ')}` : ' (stays)';
    lines.push(`    ${transition.machine.padEnd(14)} ${transition.source}: ${transition.event}${guard}${targets}`);
  }
  return lines;
}

/** The `coverage.reachable` object of `explore --json --coverage-gaps`. */
export function coverageGapsJson(gaps: ReachableCoverage): Record<string, unknown> {
  return { covered: gaps.covered, total: gaps.total, percent: percentOf(gaps.covered, gaps.total), beyondCheck: gaps.beyondCheck, missed: gaps.missed.map((transition) => transition.id) };
}
