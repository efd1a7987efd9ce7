import type { TraceEvent } from '../sim/trace/Trace.ts';
import { WakePositions, wakeKey } from '../world/durable-streams/WakePositions.ts';

/** Runner lifecycle states as the runtime reports them. */
export type ReportedRunnerState = 'connecting' | 'streaming' | 'reconnecting' | 'stopping' | 'stopped';

/**
 * The abstract events the models consume: what the runtime, the world and the workload did, stripped of detail the
 * semantics does not depend on. `process` names the host process an event happened in.
 */
export type ModelEvent =
  // workload and world
  | { readonly type: 'OCCURRENCE_DUE'; readonly occurrence: number }
  | { readonly type: 'MESSAGE' }
  | { readonly type: 'WAKE_APPENDED'; readonly offset: string }
  | { readonly type: 'LEASE_GRANTED' }
  | { readonly type: 'LEASE_RELEASED' }
  | { readonly type: 'LEASE_EXPIRED' }
  | { readonly type: 'REGISTERED'; readonly resumeOffset: string | null }
  | { readonly type: 'HEARTBEAT_STORED'; readonly offset: string }
  /** The agents server stored new manifest rows: later wakes restore the handle, whether or not the committer heard. */
  | { readonly type: 'MANIFEST_STORED' }
  | { readonly type: 'PROCESS_START'; readonly process: string }
  | { readonly type: 'PROCESS_EXIT'; readonly process: string; readonly reason: 'graceful' | 'crash' }
  // runner
  | {
      readonly type: 'RUNNER_START';
      readonly process: string;
      readonly start: 'beginning' | 'tail' | 'registered';
      readonly startOffset: string;
      readonly registered: boolean;
    }
  | { readonly type: 'RUNNER_STATE'; readonly process: string; readonly state: ReportedRunnerState }
  /** `offset`: where the wake sits in the wake stream (as the service appended it), not what the reader reported. */
  | { readonly type: 'WAKE_READ'; readonly process: string; readonly offset: string }
  | { readonly type: 'CLAIM_SETTLED'; readonly process: string; readonly offset: string; readonly dispatched: boolean }
  // processWake and the wiring chain
  | { readonly type: 'WAKE_START'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'OBSERVE'; readonly process: string; readonly created: boolean }
  | { readonly type: 'PRELOAD_FAILED'; readonly process: string; readonly restored: boolean }
  | { readonly type: 'HANDLE_WIRED'; readonly process: string; readonly restored: boolean; readonly empty: boolean }
  | { readonly type: 'WIRING_FAILED'; readonly process: string }
  | { readonly type: 'OBSERVE_RESOLVED'; readonly process: string; readonly wired: boolean }
  | { readonly type: 'MANIFEST_COMMITTED'; readonly process: string }
  | { readonly type: 'WAKE_FAILED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ACKED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ACK_FAILED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ABANDONED'; readonly process: string; readonly wakeId: string }
  // the digest entity
  | { readonly type: 'CHECK'; readonly process: string; readonly occurrence: number; readonly verdict: 'posted' | 'not-posted' | 'unknown' }
  | { readonly type: 'ACTION'; readonly occurrence: number }
  | { readonly type: 'RECORDED'; readonly process: string; readonly occurrence: number }
  /** The shared stream stored an occurrence's row: the server's fact, whether or not the inserting process heard. */
  | { readonly type: 'OCCURRENCE_STORED'; readonly occurrence: number };

export type ModelEventType = ModelEvent['type'];

/** Maps the events of one run, in trace order, to the abstract events the models consume. */
export type ModelEventTranslator = (event: TraceEvent) => ModelEvent | undefined;

/**
 * A translator for one run. It follows the run's appends, so a wake the runner names (subscription and generation)
 * reaches the models at its position in the wake stream: in the library tier the reader knows only its batch's end
 * offset, which several wakes share. A wake the service never appended gets a position no append has, for the models
 * to refuse.
 */
export function createModelEventTranslator(): ModelEventTranslator {
  const positions = new WakePositions();
  return (event) => {
    positions.observe(event);
    return toModelEvent(event, (detail) => positions.positionOf(detail) ?? `never appended: ${wakeKey(detail)}`);
  };
}

/**
 * Maps a trace event to the abstract event the models consume, or undefined for events the models do not follow
 * (scheduler steps, heartbeats, faults themselves: the models see a fault only through what it causes).
 */
function toModelEvent(event: TraceEvent, wakePosition: (detail: TraceEvent['detail']) => string): ModelEvent | undefined {
  const detail = event.detail;
  const process = event.actor;
  switch (event.kind) {
    case 'cron-tick':
      return { type: 'OCCURRENCE_DUE', occurrence: Number(detail['tick']) };
    case 'message':
      return { type: 'MESSAGE' };
    case 'wake-appended':
      // A wake whose event was lost (no wake stream) reaches no reader.
      return typeof detail['offset'] === 'string' ? { type: 'WAKE_APPENDED', offset: detail['offset'] } : undefined;
    case 'lease-granted':
      return { type: 'LEASE_GRANTED' };
    case 'lease-ended':
      // A lease a restart of Durable Streams forgot ends as an expired one does: without the holder's ack.
      return detail['reason'] === 'expired' || detail['reason'] === 'lost' ? { type: 'LEASE_EXPIRED' } : { type: 'LEASE_RELEASED' };
    case 'process-start':
      return { type: 'PROCESS_START', process };
    case 'process-exit':
      return { type: 'PROCESS_EXIT', process, reason: detail['reason'] === 'crash' ? 'crash' : 'graceful' };
    case 'runner-start': {
      const startOffset = String(detail['startOffset']);
      const start = startOffset === '-1' ? 'beginning' : startOffset === 'now' ? 'tail' : 'registered';
      return { type: 'RUNNER_START', process, start, startOffset, registered: detail['registeredOffset'] !== null };
    }
    case 'runner-registered': {
      const resumeOffset = detail['resumeOffset'];
      return { type: 'REGISTERED', resumeOffset: typeof resumeOffset === 'string' ? resumeOffset : null };
    }
    case 'heartbeat-received':
      return detail['status'] === 204 ? { type: 'HEARTBEAT_STORED', offset: String(detail['offset']) } : undefined;
    case 'runner-state':
      return { type: 'RUNNER_STATE', process, state: detail['state'] as ReportedRunnerState };
    case 'wake-read':
      return { type: 'WAKE_READ', process, offset: wakePosition(detail) };
    case 'claim-settled':
      return { type: 'CLAIM_SETTLED', process, offset: wakePosition(detail), dispatched: detail['outcome'] === 'dispatched' };
    case 'wake-start':
      return { type: 'WAKE_START', process, wakeId: String(detail['wakeId']) };
    case 'observe-called':
      return { type: 'OBSERVE', process, created: detail['created'] === true };
    case 'preload-failed':
      return { type: 'PRELOAD_FAILED', process, restored: detail['restored'] === true };
    case 'handle-wired':
      return { type: 'HANDLE_WIRED', process, restored: detail['restored'] === true, empty: detail['empty'] === true };
    case 'wiring-failed':
      return { type: 'WIRING_FAILED', process };
    case 'observe-resolved':
      return { type: 'OBSERVE_RESOLVED', process, wired: detail['wired'] === true };
    case 'manifest-stored':
      return detail['status'] === 204 && Array.isArray(detail['sharedIds']) && detail['sharedIds'].length > 0 ? { type: 'MANIFEST_STORED' } : undefined;
    case 'manifest-committed':
      return { type: 'MANIFEST_COMMITTED', process };
    case 'wake-failed':
      return { type: 'WAKE_FAILED', process, wakeId: String(detail['wakeId']) };
    case 'wake-acked':
      return { type: 'WAKE_ACKED', process, wakeId: String(detail['wakeId']) };
    case 'ack-failed':
      return { type: 'WAKE_ACK_FAILED', process, wakeId: String(detail['wakeId']) };
    case 'wake-abandoned':
      return { type: 'WAKE_ABANDONED', process, wakeId: String(detail['wakeId']) };
    case 'idempotency-check':
      return { type: 'CHECK', process, occurrence: Number(detail['occurrence']), verdict: detail['verdict'] as 'posted' | 'not-posted' | 'unknown' };
    case 'action-performed': {
      const match = /^digest:(\d+)$/.exec(String(detail['action']));
      return match ? { type: 'ACTION', occurrence: Number(match[1]) } : undefined;
    }
    case 'occurrence-stored':
      return { type: 'OCCURRENCE_STORED', occurrence: Number(detail['occurrence']) };
    case 'recorded':
      return { type: 'RECORDED', process, occurrence: Number(detail['occurrence']) };
    default:
      return undefined;
  }
}
