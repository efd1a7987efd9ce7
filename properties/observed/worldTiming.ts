import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** How the world was set up, as its `world-configured` observation says: what timing judgements from outside need. */
export interface WorldTiming {
  readonly longPollTimeoutMs: number;
  /**
   * The most one delivery of a message can take: a request a service observes up to this long after an event may
   * have been sent before it, and two requests sent this far apart may arrive this much closer together.
   */
  readonly maxDeliveryMs: number;
}

/** Assumed when a trace has no `world-configured` event (a hand-made one): the digest world's long-poll. */
const UNKNOWN_WORLD: WorldTiming = { longPollTimeoutMs: 20_000, maxDeliveryMs: 0 };

/** The timing of the world a run's trace was recorded in. */
export function worldTiming(events: readonly TraceEvent[]): WorldTiming {
  const configured = events.find((event) => event.kind === 'world-configured' && !event.annotation);
  if (!configured) return UNKNOWN_WORLD;
  const detail = configured.detail;
  return {
    longPollTimeoutMs: Number(detail['longPollTimeoutMs']),
    maxDeliveryMs: Number(detail['baseLatencyMs']) + Number(detail['maxExtraDelayMs']),
  };
}
