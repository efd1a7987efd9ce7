import type { TraceEvent } from '../../sim/trace/Trace.ts';

/**
 * What the servers observed of a runner's requests, read from their trace events (annotation false): the views draw
 * and tabulate these, so that a runtime which annotates nothing of itself gets the same story of its claims, dones,
 * acks and wake-stream reads as one that does.
 */

/** A read of a runner's wake stream the Durable Streams service answered 200, as it observed it (`stream-read`). */
export interface ObservedWakeStreamRead {
  /** The process the service answered. */
  readonly peer: string;
  /** The offset the read asked from (`-1`: from the beginning). */
  readonly offset: string;
  /** The offset after what it served (null when the service did not say). */
  readonly next: string | null;
  /** The wakes it served, by subscription and generation, in stream order. */
  readonly wakes: readonly { readonly subscription: string; readonly generation: number }[];
}

/**
 * The `stream-read` of a wake stream (one of `wakeStreams`, or any read that served wake events) the service
 * answered 200 and did not cut; undefined for any other event. A read cut mid-answer (`aborted`) reached nobody.
 */
export function observedWakeStreamRead(event: TraceEvent, wakeStreams: ReadonlySet<string>): ObservedWakeStreamRead | undefined {
  if (event.kind !== 'stream-read' || event.annotation || event.detail['status'] !== 200 || event.detail['aborted'] === true) return undefined;
  const detail = event.detail;
  const served = Array.isArray(detail['wakes']) ? (detail['wakes'] as readonly Record<string, unknown>[]) : [];
  if (served.length === 0 && !wakeStreams.has(String(detail['stream']))) return undefined;
  return {
    peer: String(detail['peer']),
    offset: String(detail['offset']),
    next: typeof detail['next'] === 'string' ? detail['next'] : null,
    wakes: served.map((wake) => ({ subscription: String(wake['subscription']), generation: Number(wake['generation']) })),
  };
}

/** The wake stream a server event names (`runner-registered`, `entity-created`), or undefined. */
export function announcedWakeStream(event: TraceEvent): string | undefined {
  if (event.annotation || (event.kind !== 'runner-registered' && event.kind !== 'entity-created')) return undefined;
  return typeof event.detail['wakeStream'] === 'string' ? event.detail['wakeStream'] : undefined;
}

/** A claim the agents server granted (`claim-answered` 200): to which process, which wake. */
export interface ObservedGrant {
  readonly peer: string;
  readonly wakeId: string;
  readonly subscription: string;
  readonly generation: number;
}

/** The grant a `claim-answered` 200 records, or undefined for any other event (a refused claim grants nothing). */
export function observedGrant(event: TraceEvent): ObservedGrant | undefined {
  if (event.kind !== 'claim-answered' || event.annotation || event.detail['status'] !== 200 || typeof event.detail['wakeId'] !== 'string') return undefined;
  return { peer: String(event.detail['peer']), wakeId: event.detail['wakeId'], subscription: String(event.detail['subscription']), generation: Number(event.detail['generation']) };
}

/**
 * The wake whose claim a server event ends, as the servers saw it: a done the agents server accepted (200, or one it
 * refused but released the claim of), the claim reaper releasing it, or its lease ending other than by a done
 * (expired, dropped). Undefined for any other event. `wakeId` or `subscription` with `generation` names the wake.
 */
export function observedClaimEnd(event: TraceEvent): { readonly wakeId?: string; readonly subscription?: string; readonly generation?: number } | undefined {
  if (event.annotation) return undefined;
  const detail = event.detail;
  if (event.kind === 'done-received' && (detail['status'] === 200 || detail['claimReleased'] === true)) return { wakeId: String(detail['releasedWakeId'] ?? detail['wakeId']) };
  if (event.kind === 'claim-reaped') return { wakeId: String(detail['wakeId']) };
  // A lease ended by a done is the done's own end: the `done-received` that follows it ends the wake in its row.
  if (event.kind === 'lease-ended' && detail['reason'] !== 'done') return { subscription: String(detail['subscription']), generation: Number(detail['generation']) };
  return undefined;
}
