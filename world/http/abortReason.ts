/**
 * What `fetch` rejects with when its signal aborts: the signal's reason, or a DOMException named AbortError. A
 * simulated server rejects with the same, so an abort looks alike over every transport.
 */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
