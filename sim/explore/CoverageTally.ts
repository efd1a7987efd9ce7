/**
 * The coverage keys a search reached and the first run that reached each. Runs may be added in any order (batches
 * of worker threads end in any order, and some run past the search's stopping point); {@link reachedUpTo} counts
 * only the runs up to a given index, so the figure is the one a sequential search stopping there would report.
 */
export class CoverageTally {
  private readonly firsts = new Map<string, number>();

  /** Notes the keys run `runIndex` reached. */
  add(runIndex: number, keys: readonly string[]): void {
    for (const key of keys) {
      const first = this.firsts.get(key);
      if (first === undefined || runIndex < first) this.firsts.set(key, runIndex);
    }
  }

  /** The keys some run with index at most `lastRunIndex` reached, sorted. */
  reachedUpTo(lastRunIndex = Infinity): string[] {
    return [...this.firsts].filter(([, first]) => first <= lastRunIndex).map(([key]) => key).sort();
  }

  /** The first run of every key reached, by key. */
  firstRuns(): ReadonlyMap<string, number> {
    return this.firsts;
  }
}
