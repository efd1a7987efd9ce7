import type { ExplorationResult } from './exploreInWorkspace.ts';
import type { MutantSuiteReport } from './runMutantSuite.ts';

/** The figures a team quotes for one strategy: how many mutants it found and how fast. */
export interface DetectionSummary {
  readonly detected: number;
  /** Mutants counted: every mutant except the flagged ones. */
  readonly counted: number;
  readonly flagged: number;
  /** Median run of first detection over the detected mutants; undefined when none was detected. */
  readonly medianRunsToDetection: number | undefined;
}

/** Detection rate and median runs to detection of a suite report. */
export function summarize(report: MutantSuiteReport): DetectionSummary {
  const runs = report.outcomes.flatMap(({ verdict }) => (verdict.kind === 'detected' ? [verdict.run] : [])).sort((a, b) => a - b);
  const flagged = report.outcomes.filter(({ verdict }) => verdict.kind === 'flagged').length;
  return { detected: runs.length, counted: report.outcomes.length - flagged, flagged, medianRunsToDetection: median(runs) };
}

function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The report as text: the baselines, one row per mutant, then the detection rate. */
export function mutantTableLines(report: MutantSuiteReport): string[] {
  const { strategy, draw, runs, seed } = report.budget;
  const lines = [`mutants · strategy ${strategy}${draw === undefined ? '' : ` (${draw} draws)`} · up to ${runs} runs each · seed ${seed}`, ''];
  for (const baseline of report.baselines) {
    lines.push(`baseline ${baseline.runtime} (unmutated): ${baselineLine(baseline.result)}${ignoredText(baseline.ignoredRuns.length)}`);
    for (const ignored of baseline.ignoredRuns) lines.push(`  ignored in every exploration: run ${ignored.run}, where the unmutated runtime fails ${ignored.property}; ${ignored.token}`);
  }
  lines.push('');
  const rows = report.outcomes.map(({ mutant, verdict }) => {
    switch (verdict.kind) {
      case 'detected':
        return [mutant.id, mutant.defectClass, verdict.property, String(verdict.run), verdict.token];
      case 'survived':
        return [mutant.id, mutant.defectClass, 'SURVIVED', `${verdict.runsExecuted} (all)`, '-'];
      case 'flagged':
        return [mutant.id, mutant.defectClass, 'FLAGGED', '-', verdict.token === undefined ? verdict.reason : `${verdict.reason}; ${verdict.token}`];
    }
  });
  const header = ['mutant', 'class', 'detected by', 'runs', 'token'];
  const widths = header.slice(0, 4).map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const row = (cells: readonly string[]): string => cells.map((cell, column) => (column < 4 ? cell.padEnd(widths[column]!) : cell)).join('  ').trimEnd();
  lines.push(row(header), ...rows.map(row), '');
  const summary = summarize(report);
  const rate = summary.counted === 0 ? '-' : `${((100 * summary.detected) / summary.counted).toFixed(1)} %`;
  const medianText = summary.medianRunsToDetection === undefined ? '-' : String(summary.medianRunsToDetection);
  lines.push(
    `detected ${summary.detected} of ${summary.counted} mutants (${rate}); median runs to detection ${medianText}` +
      (summary.flagged > 0 ? `; ${summary.flagged} flagged and not counted` : ''),
    `elapsed ${(report.elapsedMs / 1000).toFixed(0)} s`,
  );
  return lines;
}

function baselineLine(result: ExplorationResult): string {
  switch (result.kind) {
    case 'clean':
      return `clean in ${result.runsExecuted} runs`;
    case 'violation':
      return `FAILS ${result.property} at run ${result.run} (a mutant found by ${[result.property, ...result.otherProperties].join(', ')} from run ${result.run} on is flagged); ${result.token}`;
    case 'error':
      return `explore failed (exit ${result.exitCode ?? 'signal'}): ${result.message}`;
    case 'timeout':
      return `explore timed out after ${Math.round(result.afterMs / 1000)} s`;
  }
}

function ignoredText(count: number): string {
  return count === 0 ? '' : `, with ${count} run${count === 1 ? '' : 's'} it fails ignored`;
}
