import type { TraceValue } from '../../sim/trace/Trace.ts';

/**
 * How an item of a stream is told apart from the others: by its content, as JSON. The service observes each item it
 * stores (`linked-append`) and the scenario's probe each item a handler was given (`handler-start` inputs); the offsets
 * a runtime hands its handler are its own business (one per answer, or none), so matching by content is what judges
 * any runtime alike. A scenario whose items may repeat exactly must make them distinct (an index, say).
 */
export function itemKey(stream: string, item: TraceValue | undefined): string {
  return `${stream} ${JSON.stringify(item ?? null)}`;
}
