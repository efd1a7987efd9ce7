/**
 * Time as the runtime reads it: the process's own clock and timers, as any Node program uses them. Inside a
 * simulated run they are virtual (the simulator replaces the globals), so the runtime needs no port for time.
 */

/** Resolves after `delayMs` milliseconds. */
export function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}

/** Milliseconds on the process's clock. */
export function nowMs(): number {
  return Date.now();
}

/** Resolves after `delayMs` milliseconds, or at once when `signal` aborts (its timer then cleared). */
export function sleepUntilAborted(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', wake, { once: true });
  });
}
