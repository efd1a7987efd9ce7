import type { HostContext } from '../../../protocol/host/HostContext.ts';

/**
 * `request-timeout=abort`: the host's network as the runtime sees it, with a deadline on every request. A request
 * unanswered after `deadlineMs` is aborted with a `TypeError`, the error of a failed connection, so every retry that
 * covers a dropped connection covers it too. Without a deadline a request on a connection that hangs never settles:
 * a wake waiting on it holds (and renews) its claim for good.
 */
export function withRequestDeadline(host: HostContext, deadlineMs: number): HostContext {
  return {
    ...host,
    transport: (request) => withinDeadline(deadlineMs, request.signal, (signal) => host.transport({ ...request, signal })),
    fetch: (input, init) => withinDeadline(deadlineMs, init?.signal ?? undefined, (signal) => host.fetch(input, { ...init, signal })),
  };
}

/** Sends with a signal that aborts when `outer` does or when the deadline passes, whichever comes first. */
async function withinDeadline<T>(deadlineMs: number, outer: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TypeError(`request unanswered after ${deadlineMs} ms`)), deadlineMs);
  const followOuter = (): void => deadline.abort(outer?.reason);
  if (outer?.aborted) followOuter();
  else outer?.addEventListener('abort', followOuter, { once: true });
  try {
    return await send(deadline.signal);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', followOuter);
  }
}
