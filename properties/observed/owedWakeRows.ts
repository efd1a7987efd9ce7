import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { wakeKey } from './wakeKey.ts';

/**
 * Follows the wake rows with a payload the Durable Streams service appended (`wake-row-appended`) and which of them a
 * done acknowledged (`wake-rows-acked`, a cursor per subscription), from the servers' observations alone. A wake row
 * carries its payload alone, so while it is owed, serving it again is delivering work, not replaying it.
 */
export class OwedWakeRows {
  /** Owed rows by wake key (`subscription#generation`), each with its wake stream and its offset there. */
  private readonly owed = new Map<string, Array<{ readonly subscription: string; readonly wakeStream: string; readonly offset: string }>>();

  /** Feeds one event, in trace order. */
  observe(event: TraceEvent): void {
    if (event.annotation) return;
    const detail = event.detail;
    if (event.kind === 'wake-row-appended') {
      const key = wakeKey(detail);
      this.owed.set(key, [...(this.owed.get(key) ?? []), { subscription: String(detail['subscription']), wakeStream: String(detail['wakeStream']), offset: String(detail['offset']) }]);
    } else if (event.kind === 'wake-rows-acked') {
      const subscription = String(detail['subscription']);
      const to = String(detail['offset']);
      for (const [key, rows] of this.owed) {
        const left = rows.filter((row) => row.subscription !== subscription || row.offset > to);
        if (left.length === 0) this.owed.delete(key);
        else this.owed.set(key, left);
      }
    }
  }

  /** Whether a wake row of this wake (`subscription#generation`) is owed: appended and not acknowledged yet. */
  owes(wake: string): boolean {
    return this.owed.has(wake);
  }

  /**
   * The offset of the first row still owed in `wakeStream`, if any: nobody is done with that wake stream from there on.
   * Offsets of different streams are not comparable, so rows of other runners' wake streams do not count; with no
   * stream named (a trace whose registration does not say), every wake stream's rows do, as in `ServedWakes`.
   */
  firstOwedOffset(wakeStream: string | undefined): string | undefined {
    let first: string | undefined;
    for (const rows of this.owed.values()) {
      for (const row of rows) if ((wakeStream === undefined || row.wakeStream === wakeStream) && (first === undefined || row.offset < first)) first = row.offset;
    }
    return first;
  }
}
