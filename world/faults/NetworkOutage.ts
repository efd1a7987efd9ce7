import type { SimContext } from '../../sim/run/SimContext.ts';

/**
 * The host's network outage (`network-outage`, historical B5's trigger as one event): for a drawn span the host's
 * path to the services is broken. At its start every request the host has in progress at Durable Streams (a held
 * read of its wake stream, say) is cut. The first request after that to open a new connection to Durable Streams is
 * left half-open: it never completes and never fails, as a `hung-connect`, and stays so after the span (only the
 * caller's abort ends it). Every other request of the host during the span (to the agents server, the chat, a later
 * connect) fails at once as a dropped connection. What each request meets is decided in the wire fault policy.
 */
export class NetworkOutage {
  private endsAtMs = Number.NEGATIVE_INFINITY;
  /** Whether this outage's half-open connect is still to come. */
  private halfOpenDue = false;

  constructor(
    private readonly sim: SimContext,
    /** Cuts the requests the host has in progress at Durable Streams (their callers see the connection drop). */
    private readonly cutHeldRequests: () => void,
    /** Whether faults may strike now (false in the quiet period, which ends an outage under way). */
    private readonly active: () => boolean,
  ) {}

  /** Starts an outage of `spanMs` now (one under way is extended if this one ends later). */
  start(spanMs: number): void {
    this.endsAtMs = Math.max(this.endsAtMs, this.sim.scheduler.nowMs + spanMs);
    this.halfOpenDue = true;
    this.cutHeldRequests();
  }

  /** True for the outage's first new connection to Durable Streams, the one left half-open; false after it. */
  takeHalfOpenConnect(): boolean {
    const due = this.halfOpenDue;
    this.halfOpenDue = false;
    return due;
  }

  /** True while an outage is under way. */
  get underWay(): boolean {
    return this.active() && this.sim.scheduler.nowMs < this.endsAtMs;
  }
}
