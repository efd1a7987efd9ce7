import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';

type Detail = { readonly [key: string]: TraceValue };

/** `sub:digest-1#2`: a wake event named by its subscription and generation, unique within a run. */
export function wakeKey(detail: Detail): string {
  return `${String(detail['subscription'])}#${String(detail['generation'])}`;
}

/**
 * Where each wake event sits in its wake stream, learnt from the service's own `wake-appended` trace events. A
 * runner names the wakes it reads and claims by subscription and generation; the offset it reports is only what its
 * reader knew (in the library tier, the end of the client's batch, shared by every wake in it). Checks that compare
 * positions — replays, reads moving forward — take them from here, so they judge the stream as the service wrote it.
 */
export class WakePositions {
  private readonly offsets = new Map<string, string>();

  /** Feeds one trace event; events must come in trace order (a wake is appended before anyone reads it). */
  observe(event: TraceEvent): void {
    if (event.kind === 'wake-appended') this.offsets.set(wakeKey(event.detail), String(event.detail['offset']));
  }

  /**
   * The position of the wake a runner event (`wake-read`, `claim-*`) names, or undefined when the service never
   * appended such a wake — a runtime reporting a wake that does not exist, for the checks to flag.
   */
  positionOf(detail: Detail): string | undefined {
    return this.offsets.get(wakeKey(detail));
  }
}
