import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** An entity handler invocation the scenario's probe saw start in a process and not (yet) end. */
export interface HandlerSpan {
  readonly process: string;
  readonly entity: string;
  readonly wakeId: string;
  readonly startedAtMs: number;
}

/**
 * The handler spans open so far, from the scenario's own probes (`handler-start`, `handler-end`, recorded by the entity
 * code as the process it runs in), never from the runtime's annotations. A span stays open when its process dies: the
 * handler never ended, and who asks decides whether a dead process's spans matter. Spans keep the order they started in.
 */
export class HandlerSpans {
  /** By `<process> <wakeId>`: one handler of a wake per process. */
  private readonly open = new Map<string, HandlerSpan>();

  /** Feeds one event, in trace order. */
  observe(event: TraceEvent): void {
    if (event.annotation || (event.kind !== 'handler-start' && event.kind !== 'handler-end')) return;
    const key = `${event.actor} ${String(event.detail['wakeId'])}`;
    if (event.kind === 'handler-start') {
      this.open.set(key, { process: event.actor, entity: String(event.detail['entity']), wakeId: String(event.detail['wakeId']), startedAtMs: event.atMs });
    } else if (event.kind === 'handler-end') {
      this.open.delete(key);
    }
  }

  /** Every span open now, in the order they started. */
  all(): HandlerSpan[] {
    return [...this.open.values()];
  }

  /** The spans open now in `process`, in the order they started. */
  openIn(process: string): HandlerSpan[] {
    return this.all().filter((span) => span.process === process);
  }

  /** The spans of `events` open at their end. */
  static openAtEnd(events: readonly TraceEvent[]): HandlerSpan[] {
    const spans = new HandlerSpans();
    for (const event of events) spans.observe(event);
    return spans.all();
  }
}
