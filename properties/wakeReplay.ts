import { ServedWakes } from './observed/servedWakes.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * A wake at or before the offset earlier runner processes had already processed when a later one began reading is
 * served again to that later one (two processes reading live beside each other, as in a rolling deploy, each read on
 * from where they are: what one handles while the other reads is no replay).
 * Judged from the servers' observations alone: the wakes the Durable Streams service served each process from its
 * wake stream, where it had appended them, and the claims and dones the agents server answered; "processed" is the
 * longest prefix of a process's served wakes that it was done with (a claim skipped it, or a granted claim was followed
 * by done). Whatever the runtime says about itself is not read.
 */
export function wakeReplay(history: RunHistory): Violation[] {
  const served = new ServedWakes();
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    const fresh = served.observe(event, eventIndex);
    if (fresh.length === 0) return;
    const peer = String(event.detail['peer']);
    if (flagged.has(peer)) return;
    const processed = served.processedBeforeStart(peer);
    if (processed === undefined) return;
    const replayed = fresh.find((wake) => wake.offset <= processed);
    if (!replayed) return;
    flagged.add(peer);
    violations.push({
      property: 'wake-replay',
      message: `${peer} was served the wake ${replayed.wake} at ${replayed.offset} again, already processed by an earlier runner (up to ${processed})`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}
