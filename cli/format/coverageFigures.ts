import type { ExploreReport } from '../../scenarios/explore.ts';
import { propertiesNotJudged } from '../../scenarios/index.ts';
import { faultKindsNeverStruck } from '../../world/faults/FaultKind.ts';

/** A share as a percentage with one decimal, the way every coverage figure is printed. */
export const percentOf = (covered: number, total: number): number => Number(((100 * covered) / Math.max(total, 1)).toFixed(1));

/**
 * The `coverage` object of `explore --json`. A shard adds the first run of each transition it took (`firstRuns`),
 * from which `merge` counts what the unsharded search took.
 */
export function coverageJson(report: ExploreReport): Record<string, unknown> {
  const { covered, total } = report.coverage.modelTransitions;
  return {
    modelTransitions: { covered, total, percent: percentOf(covered, total), ...(modelFollowed(report) ? {} : { followed: false }) },
    faultsNeverStruck: faultKindsNeverStruck(report.request.spec.faults, report.coverage.faultsStruck),
    ...(report.request.shard ? { firstRuns: Object.fromEntries(report.coverage.firstRuns), faultFirstRuns: Object.fromEntries(report.coverage.faultsStruck) } : {}),
  };
}

/**
 * The line that names the fault kinds asked for that struck in no run, where the search ended without a finding or
 * kept going: there a clean result is read as "survives these faults", which it only means for faults that struck.
 */
function faultsNeverStruckLines(report: ExploreReport): string[] {
  if (report.finding && !report.failingRuns) return [];
  const never = faultKindsNeverStruck(report.request.spec.faults, report.coverage.faultsStruck);
  if (never.length === 0) return [];
  return [
    `faults never struck in these ${report.runsExecuted} runs: ${never.join(', ')} (rare, or not injected by the scenario ${report.request.spec.scenario}: a kind a scenario does not inject never strikes; docs/write-a-scenario.md, "Fault kinds")`,
  ];
}

/** Whether the composed model followed the runs: it does not where model conformance is not judged (several entities). */
function modelFollowed(report: ExploreReport): boolean {
  return !propertiesNotJudged(report.request.spec).some((entry) => entry.property === 'model-conformance');
}

/**
 * The coverage lines of the text report: the model transitions taken (or that the model did not follow these runs, so
 * a 0 is not read as a measurement) and, for the guided search, its corpus.
 */
export function coverageLines(report: ExploreReport): string[] {
  const { covered, total } = report.coverage.modelTransitions;
  const lines = [
    modelFollowed(report)
      ? `coverage: ${covered} of ${total} model transitions (${percentOf(covered, total)} %)`
      : `coverage: not measured (the composed model does not follow these runs; see model-conformance above)`,
  ];
  lines.push(...faultsNeverStruckLines(report));
  const { name, figures } = report.strategy;
  if (name === 'guided') {
    lines.push(
      `guided: corpus of ${String(figures['corpusEntries'])} runs after ${String(figures['generationsEnded'])} generations of ${String(figures['generationRuns'])} runs; ` +
        `${String(figures['coverageKeys'])} coverage keys, ${String(figures['newKeysLastGeneration'])} new in the last generation; ` +
        `fresh runs now ${String(figures['freshPercent'])} %`,
    );
  }
  return lines;
}

/** The coverage part of the progress line: `74.1 % transitions`, and for the guided search `corpus 57 (+3 keys)`. */
export function coverageProgress(modelTransitions: { covered: number; total: number }, strategy: Readonly<Record<string, unknown>>): string {
  const transitions = `${percentOf(modelTransitions.covered, modelTransitions.total)} % transitions`;
  if (strategy['corpusEntries'] === undefined) return transitions;
  return `${transitions}  corpus ${String(strategy['corpusEntries'])} (+${String(strategy['newKeysLastGeneration'])} keys)`;
}
