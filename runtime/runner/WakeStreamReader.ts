/** One item of a wake stream as a reader delivers it. */
export interface WakeStreamItem {
  readonly value: unknown;
  /**
   * The offset the reader knows for the item: its own where the reader gives one per item (the fast tier's port),
   * else the end of the batch it came in (`@durable-streams/client` gives one offset per response).
   */
  readonly offset: string;
}

/** Items delivered together, and where a reader resumes to read what follows them. */
export interface WakeStreamBatch {
  readonly items: readonly WakeStreamItem[];
  readonly endOffset: string;
}

/** What a reader reports to the runner while it follows a wake stream. */
export interface WakeStreamListener {
  /** The first answer arrived: the runner is streaming. */
  connected(): void;
  /** A batch arrived; an empty one means the reader is caught up at `endOffset`. */
  batch(batch: WakeStreamBatch): void;
}

/**
 * How a runner follows its wake stream: a catch-up read from an offset, then live reads. The runner owns the
 * offsets, claims and lifecycle; the reader only turns the service's answers into batches. It is the seam between
 * the fast tier (the world's `streams` port) and the library tier (`@durable-streams/client` over the world's fetch).
 */
export interface WakeStreamReader {
  /**
   * Reads `path` from `fromOffset` and keeps reading live, reporting to `listener`, until a read fails, the stream
   * ends, or `interrupted` rejects. It never resolves: it rejects with the reason, and once it has, nothing more
   * reaches `listener`.
   */
  follow(path: string, fromOffset: string, interrupted: Promise<never>, listener: WakeStreamListener): Promise<never>;
}
