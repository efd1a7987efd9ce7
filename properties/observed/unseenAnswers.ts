import type { TraceEvent } from '../../sim/trace/Trace.ts';

/**
 * Requests whose answer the network never delivered to their sender (`stale-connection`: a held read answered on a
 * half-open socket; `lost-answer`: the connection dropped after the service acted), by `<peer> <request path>`, from
 * the fault until the service's own observation of the request, which asks {@link seen}.
 */
export class UnseenAnswers {
  private readonly lost = new Set<string>();

  /** Feeds one event, in trace order. */
  observe(event: TraceEvent): void {
    if (event.annotation || event.kind !== 'fault') return;
    const kind = event.detail['kind'];
    if (kind === 'stale-connection' || kind === 'lost-answer') this.lost.add(`${String(event.detail['peer'])} ${String(event.detail['path'])}`);
  }

  /** Whether the answer to the request of `<peer> <request path>` the service observes now reached its sender. */
  seen(request: string): boolean {
    return !this.lost.delete(request);
  }
}
