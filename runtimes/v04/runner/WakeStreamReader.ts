/** One item of a wake stream as a reader delivers it. */
export interface WakeStreamItem {
  readonly value: unknown;
  /** The offset the reader knows for the item: the end of the batch it came in (one offset per answer). */
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
  /**
   * A batch arrived; an empty one means the reader is caught up at `endOffset`. A promise returned is awaited before
   * the reader reads again (the first runner's serial claims, `claim-concurrency=serial`); undefined reads on at once.
   */
  batch(batch: WakeStreamBatch): Promise<void> | undefined;
}

/**
 * How a runner follows its wake stream: a catch-up read from an offset, then live reads. The runner owns the
 * offsets, claims and lifecycle; the reader only turns the service's answers into batches. Two implementations: the
 * runtime's own over its HTTP client (`streams=fast`), and `@durable-streams/client` over the host's `fetch`
 * (`streams=real`).
 */
export interface WakeStreamReader {
  /**
   * Reads `stream` from `fromOffset` and keeps reading live, reporting to `listener`, until a read fails, the stream
   * ends, or `signal` aborts (which also aborts the request in flight). It never resolves: it rejects with the reason,
   * and once it has, nothing more reaches `listener`.
   */
  follow(stream: string, fromOffset: string, signal: AbortSignal, listener: WakeStreamListener): Promise<never>;
}
