import { offsetAtOrBefore } from '../world/durable-streams/offsets.ts';
import { WakePositions, wakeKey } from '../world/durable-streams/WakePositions.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

interface ReaderProgress {
  /** Wakes in read order: which wake, its position in the wake stream, and whether its claim settled. */
  readonly reads: Array<{ wake: string; offset: string; settled: boolean }>;
}

/**
 * A wake at or before the offset an earlier runner had already processed is re-presented to a later runner.
 * "Processed" is the longest prefix of an earlier runner's wake reads whose claims all settled (dispatched or
 * skipped), computed here from the trace, independently of what the runtime reported: a wake is named by its
 * subscription and generation, and its position is where the service appended it (the offset a runner reports is
 * its reader's, in the library tier the end of a batch).
 */
export function wakeReplay(history: RunHistory): Violation[] {
  const readers = new Map<string, ReaderProgress>();
  const readerOrder: string[] = [];
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  const positions = new WakePositions();
  history.events.forEach((event, eventIndex) => {
    positions.observe(event);
    if (event.kind !== 'wake-read' && event.kind !== 'claim-settled') return;
    const wake = wakeKey(event.detail);
    // A wake never appended has no position to replay; model conformance refuses such a read.
    const offset = positions.positionOf(event.detail);
    if (offset === undefined) return;
    let progress = readers.get(event.actor);
    if (!progress) {
      progress = { reads: [] };
      readers.set(event.actor, progress);
      readerOrder.push(event.actor);
    }
    if (event.kind === 'claim-settled') {
      const read = progress.reads.find((entry) => entry.wake === wake && !entry.settled);
      if (read) read.settled = true;
      return;
    }
    progress.reads.push({ wake, offset, settled: false });
    if (flagged.has(event.actor)) return;
    const processedBefore = processedMark(readerOrder.filter((actor) => actor !== event.actor).map((actor) => readers.get(actor)!));
    if (processedBefore !== undefined && offsetAtOrBefore(offset, processedBefore)) {
      flagged.add(event.actor);
      violations.push({
        property: 'wake-replay',
        message: `${event.actor} re-read the wake at ${offset}, already processed by an earlier runner (up to ${processedBefore})`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      });
    }
  });
  return violations;
}

/**
 * The highest offset any earlier reader had processed, or undefined when none had. models/wakeStream.ts computes the
 * same on purpose: the oracle and the model judge replays independently, and conformance compares their verdicts.
 */
function processedMark(earlier: readonly ReaderProgress[]): string | undefined {
  let mark: string | undefined;
  for (const reader of earlier) {
    for (const read of reader.reads) {
      if (!read.settled) break;
      if (mark === undefined || !offsetAtOrBefore(read.offset, mark)) mark = read.offset;
    }
  }
  return mark;
}
