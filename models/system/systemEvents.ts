import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';
import { WakePositions, wakeKey } from '../../world/durable-streams/WakePositions.ts';
import { namedWake, type NamedWake } from '../namedWake.ts';

/**
 * The abstract events of the system models: what the simulated services observed (actor = the service, `peer` = the
 * process it served) and what the scenario's entity code saw (its probes, actor = the process). Nothing here comes from
 * the runtime's report of itself, so these events mean the same for any runtime under test. `process` names a host
 * process.
 */
export type SystemEvent =
  // the workload and the world's processes
  | { readonly type: 'OCCURRENCE_DUE'; readonly occurrence: number }
  | { readonly type: 'MESSAGE' }
  | { readonly type: 'PROCESS_START'; readonly process: string }
  /** The platform asked the process to stop gracefully (SIGTERM). */
  | { readonly type: 'STOP_REQUESTED'; readonly process: string }
  | { readonly type: 'PROCESS_EXIT'; readonly process: string; readonly reason: 'graceful' | 'crash' }
  // the Durable Streams service: the subscription and the runner's wake stream
  | { readonly type: 'WAKE_APPENDED'; readonly offset: string }
  /**
   * A done ended the wake with work pending and the service issued the next one without a wake event
   * (`pending-wake=answer-only`): only the done answer's `next_wake` tells the runner.
   */
  | { readonly type: 'WAKE_UNANNOUNCED' }
  | { readonly type: 'LEASE_GRANTED' }
  | { readonly type: 'LEASE_RELEASED' }
  | { readonly type: 'LEASE_EXPIRED' }
  /** A restart of Durable Streams forgot the outstanding wake before anyone claimed it. */
  | { readonly type: 'WAKE_DROPPED' }
  /**
   * A read of the runner's wake stream by `process`: its first one (whatever it was answered), or one that served wakes.
   * `from` is the offset asked (`-1`, `now` or an offset); `offsets` are where the service had appended the wakes it
   * served (`never appended: …` for a wake it never appended).
   */
  | { readonly type: 'WAKE_STREAM_READ'; readonly process: string; readonly from: string; readonly first: boolean; readonly offsets: readonly string[] }
  /** A read of the shared-state stream: `ok` when the service served its rows (no 404, no foreign item in front). */
  | { readonly type: 'SHARED_READ'; readonly process: string; readonly ok: boolean }
  /** The shared stream stored an occurrence's row (whether or not the inserting process heard the answer). */
  | { readonly type: 'OCCURRENCE_STORED'; readonly occurrence: number }
  // the agents server
  | { readonly type: 'REGISTERED'; readonly process: string; readonly resumeOffset: string | null }
  | { readonly type: 'HEARTBEAT_STORED'; readonly process: string; readonly offset: string }
  /** The answer to a claim: `granted` (200), `skipped` (nothing pending, or held elsewhere), `refused` (an error). */
  | { readonly type: 'CLAIM_ANSWERED'; readonly process: string; readonly outcome: 'granted' | 'skipped' | 'refused'; readonly wakeId: string | null }
  /**
   * A process sent the server its done for a wake: `applied` when the server applied it (200), and not when it refused
   * it (a token a restart lost, a wake fenced after its lease ended): either way the process is done with that wake,
   * as the wake-replay oracle counts it. `nextWake` when the answer said the next wake was issued at once.
   */
  | { readonly type: 'DONE_RECEIVED'; readonly process: string; readonly wakeId: string; readonly applied: boolean; readonly nextWake: boolean }
  /** The server stored new manifest rows: later wakes restore the handle, whether or not the committer heard. */
  | { readonly type: 'MANIFEST_STORED' }
  // the chat service
  | { readonly type: 'ACTION'; readonly occurrence: number }
  /** A repeated post the chat service answered with the first one (it honours idempotency keys). */
  | { readonly type: 'ACTION_DEDUPLICATED'; readonly occurrence: number }
  // the entity's own code (the scenario's probes)
  | { readonly type: 'HANDLER_START'; readonly process: string; readonly wakeId: string }
  | ({ readonly type: 'OBSERVE_RESOLVED'; readonly process: string; readonly wired: boolean } & NamedWake)
  | { readonly type: 'CHECK'; readonly process: string; readonly occurrence: number; readonly verdict: 'posted' | 'not-posted' | 'unknown' }
  | { readonly type: 'RECORDED'; readonly process: string; readonly occurrence: number }
  | { readonly type: 'HANDLER_END'; readonly process: string; readonly wakeId: string; readonly outcome: 'returned' | 'threw' };

/** A runner's wake stream, as the world names it: `runners/<id>/wake`. */
const WAKE_STREAM = /^runners\/[^/]+\/wake$/;
/** Shared-state streams, as the world names them: `shared/<id>`. */
const SHARED_STREAM = /^shared\//;
/** Claim answers that skip the wake: nothing pending (204), or another holder has it (409). */
const SKIPPED_CLAIM_STATUSES: ReadonlySet<number> = new Set([204, 409]);
const DIGEST_ACTION = /^digest:(\d+)$/;

/**
 * Translates the world's observations and the scenario's probes of one run, in trace order, into {@link SystemEvent}s.
 * Annotations are never read. It remembers what the events before told: where each wake was appended, which
 * processes already read their wake stream, which reads a foreign-item fault spoiled.
 */
export class SystemEventTranslator {
  /** Where each wake sits in its wake stream, from the service's own appends; shared with the runtime translator. */
  readonly positions = new WakePositions();
  private readonly wakeStreamReaders = new Set<string>();
  /** `reader stream` pairs whose next read a foreign-item fault spoils. */
  private readonly spoiledReads = new Set<string>();

  /** The system event for one trace event, or undefined for what the system models do not follow. */
  translate(event: TraceEvent): SystemEvent | undefined {
    if (event.annotation) return undefined;
    this.positions.observe(event);
    const detail = event.detail;
    const peer = String(detail['peer']);
    switch (event.kind) {
      case 'cron-tick':
        return { type: 'OCCURRENCE_DUE', occurrence: Number(detail['tick']) };
      case 'message':
        return { type: 'MESSAGE' };
      case 'process-start':
        return { type: 'PROCESS_START', process: event.actor };
      case 'sigterm':
        return { type: 'STOP_REQUESTED', process: event.actor };
      case 'process-exit':
        return { type: 'PROCESS_EXIT', process: event.actor, reason: detail['reason'] === 'crash' ? 'crash' : 'graceful' };
      case 'wake-appended':
        // A wake whose event was lost (no wake stream) reaches no reader.
        return typeof detail['offset'] === 'string' ? { type: 'WAKE_APPENDED', offset: detail['offset'] } : undefined;
      case 'wake-unannounced':
        return { type: 'WAKE_UNANNOUNCED' };
      case 'lease-granted':
        return { type: 'LEASE_GRANTED' };
      case 'lease-ended':
        // A lease a restart of Durable Streams forgot ends as an expired one does: without the holder's ack.
        return detail['reason'] === 'expired' || detail['reason'] === 'lost' ? { type: 'LEASE_EXPIRED' } : { type: 'LEASE_RELEASED' };
      case 'wake-dropped':
        return { type: 'WAKE_DROPPED' };
      case 'fault':
        if (detail['kind'] === 'preload-foreign-item') this.spoiledReads.add(`${String(detail['reader'])} ${String(detail['stream'])}`);
        return undefined;
      case 'stream-read':
        return this.read(peer, detail);
      case 'occurrence-stored':
        return { type: 'OCCURRENCE_STORED', occurrence: Number(detail['occurrence']) };
      case 'runner-registered':
        return { type: 'REGISTERED', process: peer, resumeOffset: typeof detail['resumeOffset'] === 'string' ? detail['resumeOffset'] : null };
      case 'heartbeat-received':
        return detail['status'] === 204 ? { type: 'HEARTBEAT_STORED', process: peer, offset: String(detail['offset']) } : undefined;
      case 'claim-answered': {
        const status = Number(detail['status']);
        const outcome = status === 200 ? 'granted' : SKIPPED_CLAIM_STATUSES.has(status) ? 'skipped' : 'refused';
        return { type: 'CLAIM_ANSWERED', process: peer, outcome, wakeId: typeof detail['wakeId'] === 'string' ? detail['wakeId'] : null };
      }
      case 'done-received':
        return { type: 'DONE_RECEIVED', process: peer, wakeId: String(detail['wakeId']), applied: detail['status'] === 200, nextWake: detail['nextWake'] === true };
      case 'manifest-stored':
        return detail['status'] === 204 && Array.isArray(detail['sharedIds']) && detail['sharedIds'].length > 0 ? { type: 'MANIFEST_STORED' } : undefined;
      case 'action-performed':
      case 'post-deduplicated': {
        const match = DIGEST_ACTION.exec(String(detail['action']));
        if (!match) return undefined;
        return { type: event.kind === 'action-performed' ? 'ACTION' : 'ACTION_DEDUPLICATED', occurrence: Number(match[1]) };
      }
      case 'handler-start':
        return { type: 'HANDLER_START', process: event.actor, wakeId: String(detail['wakeId']) };
      case 'handler-end':
        return { type: 'HANDLER_END', process: event.actor, wakeId: String(detail['wakeId']), outcome: detail['outcome'] === 'returned' ? 'returned' : 'threw' };
      case 'observe-resolved':
        return { type: 'OBSERVE_RESOLVED', process: event.actor, wired: detail['wired'] === true, ...namedWake(detail) };
      case 'idempotency-check':
        return { type: 'CHECK', process: event.actor, occurrence: Number(detail['occurrence']), verdict: detail['verdict'] as 'posted' | 'not-posted' | 'unknown' };
      case 'recorded':
        return { type: 'RECORDED', process: event.actor, occurrence: Number(detail['occurrence']) };
      default:
        return undefined;
    }
  }

  private read(peer: string, detail: TraceEvent['detail']): SystemEvent | undefined {
    const stream = String(detail['stream']);
    const status = Number(detail['status']);
    if (WAKE_STREAM.test(stream)) {
      const first = !this.wakeStreamReaders.has(peer);
      this.wakeStreamReaders.add(peer);
      const wakes = status === 200 ? ((detail['wakes'] ?? []) as ReadonlyArray<{ readonly [key: string]: TraceValue }>) : [];
      const offsets = wakes.map((wake) => this.positions.positionOf(wake) ?? `never appended: ${wakeKey(wake)}`);
      return first || offsets.length > 0 ? { type: 'WAKE_STREAM_READ', process: peer, from: String(detail['offset']), first, offsets } : undefined;
    }
    if (!SHARED_STREAM.test(stream) || status === 0 || status === 204) return undefined;
    const spoiled = this.spoiledReads.delete(`${peer} ${stream}`);
    return { type: 'SHARED_READ', process: peer, ok: status === 200 && !spoiled };
  }
}
