import { offsetAtOrBefore, TAIL_OFFSET } from '../../world/durable-streams/offsets.ts';

/**
 * The low-water mark of a wake stream reader: the highest offset at or below which every item read has had its
 * claim settled (dispatched or skipped). A runner that resumes here after a graceful stop re-reads no settled wake
 * and skips no unsettled one — the resume position of the `offset=durable` fix.
 */
export class SettledOffsetTracker {
  private readonly unsettled: Array<{ readonly offset: string; settled: boolean }> = [];
  private mark: string;

  constructor(startOffset: string) {
    this.mark = startOffset;
  }

  get lowWater(): string {
    return this.mark;
  }

  /** Moves the mark to a concrete position (after a read at `now` revealed the tail) when nothing is pending. */
  resetTo(offset: string): void {
    // `now` is a position, not an offset: any concrete tail lies at or after it.
    if (this.unsettled.length === 0 && (this.mark === TAIL_OFFSET || offsetAtOrBefore(this.mark, offset))) this.mark = offset;
  }

  /** Records an item read at `offset`; items that need no claim settle at once. */
  read(offset: string, needsClaim: boolean): void {
    this.unsettled.push({ offset, settled: !needsClaim });
    this.advance();
  }

  settle(offset: string): void {
    const entry = this.unsettled.find((item) => item.offset === offset);
    if (entry) entry.settled = true;
    this.advance();
  }

  private advance(): void {
    while (this.unsettled.length > 0 && this.unsettled[0]!.settled) this.mark = this.unsettled.shift()!.offset;
  }
}
