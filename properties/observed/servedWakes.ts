import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';
import { WAKE_STREAM_PATTERN, wakeKey } from './wakeKey.ts';

/** One wake the Durable Streams service served to a reader of a wake stream. */
export interface ServedWake {
  /** `subscription#generation`. */
  readonly wake: string;
  readonly subscription: string;
  /** The wake stream it was served from (offsets are compared within one stream only). */
  readonly stream: string;
  /** Where the service appended the wake event (from its `wake-appended` observation). */
  readonly offset: string;
  /** The `stream-read` observation that served it. */
  readonly eventIndex: number;
  /**
   * Set when the reader was done with the wake: a claim of its subscription answered that there was nothing to do
   * (204, or 409 held elsewhere), or a claim granted it (200) and the reader then sent done for that wake.
   */
  settled: boolean;
  /** The wake id of a claim granted for it, until the reader's done settles it. */
  claimedAs?: string;
}

/** Claim answers that settle a served wake at once: nothing pending (204), or held by another claim (409). */
const SKIPPING_CLAIM_STATUSES = new Set([204, 409]);

/** What most events serve: nothing. One array for all of them, not one per event. */
const NONE: readonly ServedWake[] = [];

/**
 * Follows, event by event, the wakes each process was served from its wake stream and which of them it settled, from
 * the servers' observations alone (`wake-appended`, `stream-read`, `claim-answered`, `done-received`). A claim answer
 * goes to the oldest unsettled served wake of its subscription for that peer: a skip settles it, a grant settles it
 * once the peer sends done for the granted wake. A grant the peer drops (a stop aborting its claim) leaves it unsettled.
 */
export class ServedWakes {
  private readonly positions = new Map<string, string>();
  private readonly byPeer = new Map<string, ServedWake[]>();
  private readonly peerOrder: string[] = [];
  /** What other processes had processed when each process began (see {@link processedBeforeStart}). */
  private readonly processedAtStart = new Map<string, string | undefined>();

  /**
   * Feeds one event in trace order; returns the wakes it served (for a `stream-read` of a wake stream), else nothing.
   */
  observe(event: TraceEvent, eventIndex: number): readonly ServedWake[] {
    if (event.annotation) return NONE;
    const detail = event.detail;
    if (event.kind === 'wake-appended' && typeof detail['offset'] === 'string') {
      this.positions.set(wakeKey(detail), detail['offset']);
      return NONE;
    }
    if (event.kind === 'runner-registered') {
      this.noteStart(String(detail['peer']), typeof detail['wakeStream'] === 'string' ? detail['wakeStream'] : undefined);
      return NONE;
    }
    if (event.kind === 'claim-answered') {
      const status = Number(detail['status']);
      if (status !== 200 && !SKIPPING_CLAIM_STATUSES.has(status)) return NONE;
      const served = this.byPeer.get(String(detail['peer'])) ?? [];
      const oldest = served.find((wake) => !wake.settled && wake.claimedAs === undefined && wake.subscription === detail['subscription']);
      if (!oldest) {
        // A claim retried after its grant was lost on the wire, granted again (the service had re-issued the wake):
        // the wake it was for is now held under the new wake id.
        const regranted = status === 200 ? served.find((wake) => !wake.settled && wake.claimedAs !== undefined && wake.subscription === detail['subscription']) : undefined;
        if (regranted) regranted.claimedAs = String(detail['wakeId']);
        return NONE;
      }
      if (status === 200) oldest.claimedAs = String(detail['wakeId']);
      else oldest.settled = true;
      return NONE;
    }
    if (event.kind === 'done-received') {
      const claimed = this.byPeer.get(String(detail['peer']))?.find((wake) => wake.claimedAs === detail['wakeId']);
      if (claimed) claimed.settled = true;
      return NONE;
    }
    if (event.kind !== 'stream-read' || !WAKE_STREAM_PATTERN.test(String(detail['stream']))) return NONE;
    const peer = String(detail['peer']);
    const stream = String(detail['stream']);
    this.noteStart(peer, stream);
    if (detail['status'] !== 200) return NONE;
    const wakes = (detail['wakes'] ?? []) as ReadonlyArray<{ readonly [key: string]: TraceValue }>;
    let served = this.byPeer.get(peer);
    if (!served) {
      served = [];
      this.byPeer.set(peer, served);
      this.peerOrder.push(peer);
    }
    const fresh: ServedWake[] = [];
    for (const wake of wakes) {
      const offset = this.positions.get(wakeKey(wake));
      if (offset === undefined) continue;
      const entry: ServedWake = { wake: wakeKey(wake), subscription: String(wake['subscription']), stream, offset, eventIndex, settled: false };
      served.push(entry);
      fresh.push(entry);
    }
    return fresh;
  }

  /**
   * The highest offset other processes had processed when `peer` began (registered, or else first read): the history
   * that was behind it when it began. A wake at or before it served to `peer` is a replay. What others process later,
   * while `peer` reads on from where it is (the two processes of a rolling deploy, each reading live), is not: either
   * may read a wake the other has just handled, and the claim answers 204 or 409.
   */
  processedBeforeStart(peer: string): string | undefined {
    return this.processedAtStart.get(peer);
  }

  /**
   * A process begins when it registers (it learns where to start), or, if the agents server never saw it register,
   * with its first read of its wake stream, whatever the answer: the history behind it is fixed then. `stream` is the
   * wake stream it reads, when known.
   */
  private noteStart(peer: string, stream: string | undefined): void {
    if (!this.processedAtStart.has(peer)) this.processedAtStart.set(peer, this.processedByOthers(peer, stream));
  }

  /**
   * The highest offset any other process had processed of `stream` (of any wake stream when unknown): the end of its
   * longest prefix of served wakes of that stream that it settled, or undefined when none had. An offset says where in
   * one stream a wake lies: another runner's wake stream (a world of several runners) is no history of this one.
   */
  private processedByOthers(peer: string, stream: string | undefined): string | undefined {
    let mark: string | undefined;
    for (const other of this.peerOrder) {
      if (other === peer) continue;
      for (const wake of this.byPeer.get(other)!) {
        if (stream !== undefined && wake.stream !== stream) continue;
        if (!wake.settled) break;
        if (mark === undefined || wake.offset > mark) mark = wake.offset;
      }
    }
    return mark;
  }
}
