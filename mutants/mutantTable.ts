import type { FailingRunsResult } from './exploreInWorkspace.ts';
import type { MutantVerdict, SharedFailure } from './MutantVerdict.ts';
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
    lines.push(`baseline ${baseline.runtime} (unmutated): ${baselineLine(baseline.result)}`);
    if (baseline.result.kind !== 'measured') continue;
    for (const failing of baseline.result.failingRuns) lines.push(`  run ${failing.run}: ${failing.kinds.join(', ')}; ${failing.token}`);
  }
  lines.push('');
  const rows = report.outcomes.map(({ mutant, verdict }) => {
    switch (verdict.kind) {
      case 'detected':
        return [mutant.id, mutant.defectClass, verdict.shared ? `${verdict.shared.property} (${sharedText(verdict.shared)})` : detectedBy(verdict), String(verdict.run), verdict.token];
      case 'survived':
        return [mutant.id, mutant.defectClass, 'SURVIVED', `${verdict.runsExecuted} (all)`, verdict.unseparated ? `not told apart: ${verdict.unseparated.map((shared) => `${shared.property} (${sharedText(shared)})`).join(', ')}` : '-'];
      case 'flagged':
        return [mutant.id, mutant.defectClass, 'FLAGGED', '-', verdict.token === undefined ? verdict.reason : `${verdict.reason}; ${verdict.token}`];
    }
  });
  const header = ['mutant', 'class', 'detected by', 'runs', 'token or note'];
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

/** The property that detected a mutant, with the cause its violations named. */
function detectedBy(verdict: Extract<MutantVerdict, { kind: 'detected' }>): string {
  return verdict.cause === undefined ? verdict.property : `${verdict.property}:${verdict.cause}`;
}

/** A kind of failure both show, as the table shows it: the mutant's failing runs against the baseline's. */
function sharedText(shared: SharedFailure): string {
  return `${shared.mutantRuns} runs, baseline ${shared.baselineRuns}`;
}

function baselineLine(result: FailingRunsResult): string {
  switch (result.kind) {
    case 'measured': {
      const count = result.failingRuns.length;
      if (count === 0) return `clean in ${result.runsExecuted} runs`;
      const byProperty = [...new Set(result.failingRuns.flatMap((run) => run.kinds))].map((kind) => `${kind} ${result.failingRuns.filter((run) => run.kinds.includes(kind)).length}`);
      return `fails ${count} of ${result.runsExecuted} runs (${byProperty.join(', ')}), ignored in every exploration of a mutant (a run the unmutated runtime fails says nothing about one; a mutant fails these properties more often than this, or it is not told apart):`;
    }
    case 'error':
      return `explore failed (exit ${result.exitCode ?? 'signal'}): ${result.message}; every violation a mutant shows is flagged`;
    case 'timeout':
      return `explore timed out after ${Math.round(result.afterMs / 1000)} s; every violation a mutant shows is flagged`;
  }
}
