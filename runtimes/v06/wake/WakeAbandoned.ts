/** Thrown into a wake whose wait a stop abandoned: the wake ends without running to completion. */
export class WakeAbandoned extends Error {
  override name = 'WakeAbandoned';
}

/**
 * Resolves after `delayMs`, or rejects with {@link WakeAbandoned} as soon as `stopSignal` aborts (at once when it
 * already has).
 */
export function waitUnlessStopped(delayMs: number, stopSignal: AbortSignal, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (stopSignal.aborted) {
      reject(new WakeAbandoned(`${what} abandoned by the stop`));
      return;
    }
    const onStop = (): void => {
      clearTimeout(timer);
      reject(new WakeAbandoned(`${what} abandoned by the stop`));
    };
    const timer = setTimeout(() => {
      stopSignal.removeEventListener('abort', onStop);
      resolve();
    }, delayMs);
    stopSignal.addEventListener('abort', onStop, { once: true });
  });
}
