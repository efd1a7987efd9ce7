import { BEGINNING_OFFSET, SHARED_STATE_ROOT } from '../../protocol/streams/streamsProtocol.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { requestsAfterStop } from './afterStop.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

/**
 * A stop aborts its in-flight wakes (semantics.md §1: `STOP` -> `stopping`: "abort claims, wait up to 1 s for them,
 * abort and drain in-flight wakes"): a wake its stop aborted starts no new attempt at wiring a shared state. Judged at
 * the Durable Streams service: once a process was sent SIGTERM, a read of a shared-state stream from its start
 * (offset `-1`: a preload) from that process that arrives later than {@link RUNTIME_RULES.stopAbortsWakesWithinMs}
 * after the SIGTERM, plus one delivery and the messages queued ahead of it (afterStop.ts), is a violation when the
 * process had read that stream from its start before with no claim granted to it since: a retry of a preload by a
 * wake the stop should have aborted. A first attempt (a handler that observes a DB for the first time during the
 * drain) is not judged: the drain lets a running handler finish, and semantics.md does not say whether its new
 * `observe` calls fail at once. One violation per process, at the first such read.
 */
export function wiringAfterStop(history: RunHistory, timing: WorldTiming): Violation[] {
  /** By `<process> <stream>`: a read from the start since the last claim granted to the process. */
  const readFromStart = new Set<string>();
  const allowance = {
    ms: RUNTIME_RULES.stopAbortsWakesWithinMs,
    reason: `a stop aborts its wakes within ${RUNTIME_RULES.stopAbortsWakesWithinMs} ms, and an aborted wake retries no preload`,
  };
  return requestsAfterStop(
    history,
    timing,
    'wiring after stop',
    (event) => {
      const detail = event.detail;
      const peer = detail['peer'];
      if (typeof peer !== 'string') return undefined;
      if (event.kind === 'claim-answered' && detail['status'] === 200) {
        for (const key of [...readFromStart]) if (key.startsWith(`${peer} `)) readFromStart.delete(key);
        return undefined;
      }
      const stream = String(detail['stream']);
      if (event.kind !== 'stream-read' || !stream.startsWith(SHARED_STATE_ROOT) || detail['offset'] !== BEGINNING_OFFSET) return undefined;
      const key = `${peer} ${stream}`;
      const retried = readFromStart.has(key);
      readFromStart.add(key);
      return retried ? { peer, arrivedAtMs: event.atMs - Number(detail['heldMs'] ?? 0), what: `read ${stream} from its start again` } : undefined;
    },
    allowance,
  );
}
