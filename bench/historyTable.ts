/**
 * The figures of `npm run bench:history` and how they print: per entry, switch value and strategy, what the seeds
 * found and how soon. Pure: no run happens here.
 */

/** What one exploration (one seed) of one configuration found. */
export interface SeedOutcome {
  readonly seed: number;
  /** Runs up to and including the first finding; undefined when the budget passed clean. */
  readonly runsToFinding: number | undefined;
  /** Runs executed: the finding's run, or the whole budget. */
  readonly runsExecuted: number;
  readonly property?: string;
  /** The shrunk story: scheduler steps, and its injected faults by kind. */
  readonly storySteps?: number;
  readonly storyFaults?: string;
  readonly replayToken?: string;
}

/** One row of the table: an entry's value (defect or fix) explored with one strategy over some seeds. */
export interface HistoryRow {
  readonly entry: string;
  /** `done-release=token-gated (defect)`. */
  readonly value: string;
  readonly strategy: string;
  readonly maxRuns: number;
  readonly outcomes: readonly SeedOutcome[];
}

/** The `q`-quantile (0..1) of `values` by the nearest-rank method; undefined when empty. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `redeploy ×2, crash ×1` from a list of fault kinds (`none` when empty). */
export function describeFaults(kinds: readonly string[]): string {
  if (kinds.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ×${count}`).join(', ');
}

/** The seed whose story a row shows: the lowest seed that found something. */
export function shownOutcome(row: HistoryRow): SeedOutcome | undefined {
  return row.outcomes.find((outcome) => outcome.runsToFinding !== undefined);
}

/** The markdown table of `rows`, one line per row; every figure is derived from the outcomes. */
export function historyTable(rows: readonly HistoryRow[]): string {
  const lines = [
    '| entry | value | strategy | found | median runs | p90 runs | property | story steps | story faults | token |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const found = row.outcomes.filter((outcome) => outcome.runsToFinding !== undefined);
    const runs = found.map((outcome) => outcome.runsToFinding!);
    const shown = shownOutcome(row);
    const properties = [...new Set(found.map((outcome) => outcome.property))].join(', ');
    const foundCell = row.outcomes.length === 1 && found.length === 0 ? `clean in ${row.outcomes[0]!.runsExecuted} runs` : `${found.length}/${row.outcomes.length} seeds`;
    lines.push(
      `| ${row.entry} | ${row.value} | ${row.strategy} | ${foundCell} | ${quantile(runs, 0.5) ?? '–'} | ${quantile(runs, 0.9) ?? '–'} | ${properties || '–'} | ${shown?.storySteps ?? '–'} | ${shown?.storyFaults ?? '–'} | ${shown?.replayToken ? tokenLabel(row, shown) : '–'} |`,
    );
  }
  return lines.join('\n');
}

/** The short name a row's token goes by in the list under the table. */
export function tokenLabel(row: HistoryRow, outcome: SeedOutcome): string {
  return `${row.entry}-${row.value.split(' ')[0]!.split('=')[1]}-${row.strategy.split(' ')[0]}-s${outcome.seed}`;
}

/** The replay command of every row's shown story, by the label the table names it with. */
export function tokenList(rows: readonly HistoryRow[]): string {
  return rows
    .flatMap((row) => {
      const shown = shownOutcome(row);
      return shown?.replayToken ? [`- \`${tokenLabel(row, shown)}\` (${shown.property}, run ${shown.runsToFinding}): \`npm run sim -- replay ${shown.replayToken}\``] : [];
    })
    .join('\n');
}
