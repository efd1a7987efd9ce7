/**
 * Tries a candidate script; true when it still fails (the caller then adopts the answers the run consumed as the
 * current script).
 */
export type TryCandidate = (candidate: number[]) => Promise<boolean>;

/**
 * Delta debugging (Zeller and Hildebrandt's ddmin) over a story's deviations: the answers that are not the
 * ordinary 0 (a fault that fired, a task run out of order, a delay, a count). It looks for a smallest set of
 * deviations that still fails by setting subsets of them to 0 — first each of n chunks, then each complement — and
 * refines n until single deviations. Positions are kept, so the answers around a zeroed one stay in place.
 *
 * The result is 1-minimal when the budget allows: no single remaining deviation can be turned ordinary. Because a
 * zeroed answer can change which answers the run asks for next (a fault that did not fire asks no more questions
 * about its aftermath), the deviations are recomputed from the current script after every success.
 * Returns whether the search finished (reached 1-minimality) within `attemptsLeft` tries.
 */
export async function deltaDebugDeviations(
  current: () => readonly number[],
  tryCandidate: TryCandidate,
  attemptsLeft: () => number,
): Promise<boolean> {
  let granularity = 2;
  for (;;) {
    const script = current();
    const deviations = script.flatMap((value, index) => (value === 0 ? [] : [index]));
    if (deviations.length === 0) return true;
    granularity = Math.min(granularity, deviations.length);
    const chunks = split(deviations, granularity);
    let reduced = false;
    // Zero one chunk (keep the rest), then zero everything but one chunk (keep only it).
    const candidates = [...chunks, ...(granularity > 2 ? chunks.map((chunk) => deviations.filter((index) => !chunk.includes(index))) : [])];
    for (let index = 0; index < candidates.length; index += 1) {
      if (attemptsLeft() <= 0) return false;
      const zeroed = new Set(candidates[index]!);
      if (await tryCandidate(script.map((value, position) => (zeroed.has(position) ? 0 : value)))) {
        // Zeroing a chunk keeps n - 1 chunks' worth of deviations; zeroing a complement keeps one chunk.
        granularity = index < chunks.length ? Math.max(granularity - 1, 2) : 2;
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (granularity >= deviations.length) return true;
    granularity = Math.min(granularity * 2, deviations.length);
  }
}

/** Splits `items` into `parts` contiguous chunks of near-equal size. */
function split(items: readonly number[], parts: number): number[][] {
  const chunks: number[][] = [];
  let start = 0;
  for (let part = 0; part < parts; part += 1) {
    const end = start + Math.ceil((items.length - start) / (parts - part));
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}
