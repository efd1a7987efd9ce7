/**
 * Resolves when every promise has settled or `limitMs` has passed, whichever is first; never rejects. The timer is
 * cleared once the promises settle, so a stop that finished early leaves nothing scheduled behind it.
 */
export async function settleWithin(promises: readonly Promise<unknown>[], limitMs: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  try {
    await Promise.race([Promise.allSettled(promises), limit]);
  } finally {
    clearTimeout(timer);
  }
}
