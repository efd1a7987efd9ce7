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
