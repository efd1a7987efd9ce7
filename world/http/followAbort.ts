/**
 * Aborts `target` with `source`'s reason when `source` aborts (at once when it already has); returns the function
 * that stops following. What `AbortSignal.any` does for one source, without its cost: Node 20 keeps every
 * `AbortSignal.any` signal that has an abort listener in a process-wide set until it aborts, so a held read still
 * waiting when a run ends kept that run's whole world alive, and a long sweep grew without bound.
 *
 * Order as `AbortSignal.any`: the target aborts from a listener added now, after the listeners the source already had.
 */
export function followAbort(source: AbortSignal, target: AbortController): () => void {
  if (source.aborted) {
    target.abort(source.reason);
    return () => {};
  }
  const onAbort = (): void => target.abort(source.reason);
  source.addEventListener('abort', onAbort, { once: true });
  return () => source.removeEventListener('abort', onAbort);
}
