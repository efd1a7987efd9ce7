import type { TraceEvent } from '../sim/trace/Trace.ts';
import { OwedWakeRows } from './observed/owedWakeRows.ts';
import { ServedWakes } from './observed/servedWakes.ts';
import { WAKE_STREAM_PATTERN } from './observed/wakeKey.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * A wake at or before the offset earlier runner processes had already processed when a later one began reading is
 * served again to that later one (two processes reading live beside each other, as in a rolling deploy, each read on
 * from where they are: what one handles while the other reads is no replay).
 * Judged from the servers' observations alone: the wakes the Durable Streams service served each process from its
 * wake stream, where it had appended them, and the claims and dones the agents server answered; "processed" is the
 * longest prefix of a process's served wakes that it was done with (a claim skipped it, or a granted claim was followed
 * by done). A wake with a wake row no done acknowledged yet (a payload row, daily-digest `--children` with
 * `run-finished-delivery=wake-stream`) is owed work, not a replay: the row's payload is in that row alone, so a
 * runner must read the wake stream again from the first owed row, and nothing served from there is a replay (the rule
 * names wakes by subscription and generation, so the generation's plain event is excused with its owed rows). From the
 * servers' observations `wake-row-appended` and `wake-rows-acked`. Offsets are compared within one wake stream only: in
 * a world of several runners (daily-digest `--runners`) what one runner's processes processed says nothing of another
 * runner's wake stream. Whatever the runtime says about itself is not read.
 */
export function wakeReplay(history: RunHistory): Violation[] {
  const served = new ServedWakes();
  const owed = new OwedWakeRows();
  /** The first wake row owed when each process began (registered or first read its wake stream), if any. */
  const owedAtStart = new Map<string, string | undefined>();
  const violations: Violation[] = [];
  const flagged = new Set<string>();
  history.events.forEach((event, eventIndex) => {
    owed.observe(event);
    const starting = !event.annotation && startsOnWakeStream(event);
    if (starting && !owedAtStart.has(String(event.detail['peer']))) owedAtStart.set(String(event.detail['peer']), owed.firstOwedOffset(wakeStreamOf(event)));
    const fresh = served.observe(event, eventIndex);
    if (fresh.length === 0) return;
    const peer = String(event.detail['peer']);
    if (flagged.has(peer)) return;
    const processed = served.processedBeforeStart(peer);
    if (processed === undefined) return;
    // A wake row (a payload, such as a child's runFinished) no done acknowledged yet is work still owed: when a process
    // began, nobody was done with the wake stream from the first such row on, so what it is served from there is not a
    // replay (as with `processed`, what another process finishes meanwhile does not count).
    const firstOwed = owedAtStart.get(peer);
    const replayed = fresh.find((wake) => wake.offset <= processed && !owed.owes(wake.wake) && (firstOwed === undefined || wake.offset < firstOwed));
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

/** Whether a process begins on its wake stream with this event: its registration, or a read of its wake stream. */
function startsOnWakeStream(event: TraceEvent): boolean {
  return event.kind === 'runner-registered' || (event.kind === 'stream-read' && WAKE_STREAM_PATTERN.test(String(event.detail['stream'])));
}

/** The wake stream such an event names, if it names one (a registration names it; a read is of it). */
function wakeStreamOf(event: TraceEvent): string | undefined {
  const stream = event.kind === 'runner-registered' ? event.detail['wakeStream'] : event.detail['stream'];
  return typeof stream === 'string' ? stream : undefined;
}
