/** Settles one wake of a batch; calling it again does nothing. */
export type SettleWake = () => void;

/** A batch of the wake stream still holding unsettled wakes. */
interface OpenBatch {
  /** Where a reader resumes to read what follows the batch. */
  readonly endOffset: string;
  unsettled: number;
}

/**
 * The resume position `offset=durable` reports: the highest position at or below which every wake the runner read has
 * had its claim settled (dispatched, or skipped as having nothing to do). A runner started there after a graceful stop
 * reads again no wake this one settled, and skips none it left unsettled.
 *
 * Positions are whole batches. The protocol gives one offset per answer, so a reader can resume only at the end of
 * an answer: the mark passes a batch once all its wakes settled, and never moves for a batch that carried no wake
 * (a caught-up answer names the tail, which no wake sits at).
 */
export class SettledLowWaterMark {
  private position: string;
  private readonly open: OpenBatch[] = [];

  constructor(startOffset: string) {
    this.position = startOffset;
  }

  /** The mark: the start offset, or the end of the last batch whose wakes (and every earlier one's) all settled. */
  get offset(): string {
    return this.position;
  }

  /** Records a batch read up to `endOffset` holding `wakeCount` wakes; returns one settle function per wake. */
  batchRead(endOffset: string, wakeCount: number): SettleWake[] {
    if (wakeCount === 0) return [];
    const batch: OpenBatch = { endOffset, unsettled: wakeCount };
    this.open.push(batch);
    return Array.from({ length: wakeCount }, () => {
      let settled = false;
      return () => {
        if (settled) return;
        settled = true;
        batch.unsettled -= 1;
        this.advance();
      };
    });
  }

  private advance(): void {
    while (this.open.length > 0 && this.open[0]!.unsettled === 0) this.position = this.open.shift()!.endOffset;
  }
}
