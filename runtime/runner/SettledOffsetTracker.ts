import { TAIL_OFFSET } from '../../world/durable-streams/offsets.ts';

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

  /**
   * Replaces a `now` start with the tail offset the first read revealed. A concrete mark is left alone: an empty read
   * past it settles nothing, and the mark only ever names `-1`, the start, or a wake whose claim settled — positions a
   * resumed runner may safely start from.
   */
  resolveTailStart(tailOffset: string): void {
    if (this.mark === TAIL_OFFSET && this.unsettled.length === 0) this.mark = tailOffset;
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
