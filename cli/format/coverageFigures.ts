import type { ExploreReport } from '../../scenarios/explore.ts';

/** A share as a percentage with one decimal, the way every coverage figure is printed. */
export const percentOf = (covered: number, total: number): number => Number(((100 * covered) / Math.max(total, 1)).toFixed(1));

/**
 * The `coverage` object of `explore --json`. A shard adds the first run of each transition it took (`firstRuns`),
 * from which `merge` counts what the unsharded search took.
 */
export function coverageJson(report: ExploreReport): Record<string, unknown> {
  const { covered, total } = report.coverage.modelTransitions;
  return {
    modelTransitions: { covered, total, percent: percentOf(covered, total) },
    ...(report.request.shard ? { firstRuns: Object.fromEntries(report.coverage.firstRuns) } : {}),
  };
}

/** The coverage lines of the text report: the model transitions taken and, for the guided search, its corpus. */
export function coverageLines(report: ExploreReport): string[] {
  const { covered, total } = report.coverage.modelTransitions;
  const lines = [`coverage: ${covered} of ${total} model transitions (${percentOf(covered, total)} %)`];
  const { name, figures } = report.strategy;
  if (name === 'guided') {
    lines.push(
      `guided: corpus of ${String(figures['corpusEntries'])} runs after ${String(figures['generationsEnded'])} generations of ${String(figures['generationRuns'])} runs; ` +
        `${String(figures['coverageKeys'])} coverage keys, ${String(figures['newKeysLastGeneration'])} new in the last generation`,
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
