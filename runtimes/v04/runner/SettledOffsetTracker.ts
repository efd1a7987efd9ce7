import { TAIL_OFFSET } from '../../../protocol/streams/streamsProtocol.ts';

/** A batch of items the reader read, as the tracker holds it until every claim in it settled. */
export interface ReadBatch {
  /** The offset a reader resumes from to read what follows the batch. */
  readonly endOffset: string;
  /** Claims spawned for the batch's items whose outcome is not known yet. */
  unsettledClaims: number;
}

/**
 * The low-water mark of a wake stream reader: the highest resume position at or below which every item read has had
 * its claim settled (dispatched or skipped). A runner that resumes here after a graceful stop re-reads no settled
 * wake and skips no unsettled one — the resume position of the `offset=durable` fix.
 *
 * Positions are whole batches: a reader can only resume where its reads left off, and the protocol gives one offset per
 * answer, so the mark moves past an answer only once every wake in it settled, and a resume after a stop may present
 * again the settled wakes of a batch that was still open.
 */
export class SettledOffsetTracker {
  private readonly open: ReadBatch[] = [];
  private mark: string;

  constructor(startOffset: string) {
    this.mark = startOffset;
  }

  get lowWater(): string {
    return this.mark;
  }

  /**
   * Replaces a `now` start with the tail offset the first read revealed. A concrete mark is left alone: an empty read
   * past it settles nothing, and the mark only ever names `-1`, the start, or the end of a batch whose claims all
   * settled — positions a resumed runner may safely start from.
   */
  resolveTailStart(tailOffset: string): void {
    if (this.mark === TAIL_OFFSET && this.open.length === 0) this.mark = tailOffset;
  }

  /** Records a batch read up to `endOffset` in which `claims` items need a claim; a batch with none settles at once. */
  readBatch(endOffset: string, claims: number): ReadBatch {
    const batch: ReadBatch = { endOffset, unsettledClaims: claims };
    this.open.push(batch);
    this.advance();
    return batch;
  }

  /** One claim of `batch` settled. */
  settle(batch: ReadBatch): void {
    if (batch.unsettledClaims > 0) batch.unsettledClaims -= 1;
    this.advance();
  }

  private advance(): void {
    while (this.open.length > 0 && this.open[0]!.unsettledClaims === 0) this.mark = this.open.shift()!.endOffset;
  }
}
