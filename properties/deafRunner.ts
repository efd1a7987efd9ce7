import type { TraceEvent } from '../sim/trace/Trace.ts';
import { RUNTIME_RULES } from './protocol/runtimeRules.ts';
import { worldTiming } from './observed/worldTiming.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** A host process as the world saw it. */
interface Host {
  readonly startedAtMs: number;
  /** From SIGTERM on, the host is stopping: it is expected to stop reading. */
  stopping: boolean;
  /** The wake stream of the runner it registered, once it did. */
  wakeStream: string | undefined;
  /** When the service last answered (or dropped) a read of that wake stream by it. */
  lastReadAtMs: number | undefined;
  flagged: boolean;
}

/**
 * Liveness: a live host whose runner does not read its wake stream — or never registers — for longer than the
 * reconnect backoff allows while wakes are waiting for it. A wake waits from the moment the service appends it to the
 * wake stream until a claim of it is granted. A runner that follows its stream has a read answered at least once per
 * long-poll, and one that lost its connection is back within the 30 s backoff cap; so a host silent for longer than
 * the cap plus a long-poll (plus two deliveries) after a wake began waiting — or after its last read, or its start,
 * whichever came last — is deaf. Judged from the service's observations (`process-start`, `sigterm`,
 * `process-exit`, `runner-registered`, `stream-read`, `wake-appended`, `lease-granted`), at each event and at the end.
 */
export function deafRunner(history: RunHistory): Violation[] {
  const timing = worldTiming(history.events);
  const deafAfterMs = RUNTIME_RULES.reconnectMaxBackoffMs + timing.longPollTimeoutMs + 2 * timing.maxDeliveryMs;
  const hosts = new Map<string, Host>();
  /** Wakes appended and not yet granted: `subscription#generation` -> wake stream and since when. */
  const waiting = new Map<string, { readonly wakeStream: string; readonly sinceMs: number }>();
  const violations: Violation[] = [];

  const check = (nowMs: number, step: number, eventIndex: number | undefined): void => {
    for (const [name, host] of hosts) {
      if (host.stopping || host.flagged) continue;
      // Counted in place: this runs for every event and every host, and arrays here were most of the property's cost.
      let waitingWakes = 0;
      let oldestMs = Infinity;
      for (const wake of waiting.values()) {
        if (host.wakeStream !== undefined && wake.wakeStream !== host.wakeStream) continue;
        waitingWakes += 1;
        if (wake.sinceMs < oldestMs) oldestMs = wake.sinceMs;
      }
      if (waitingWakes === 0) continue;
      const silentSinceMs = Math.max(host.startedAtMs, host.lastReadAtMs ?? host.startedAtMs, oldestMs);
      if (nowMs - silentSinceMs <= deafAfterMs) continue;
      host.flagged = true;
      const what = host.wakeStream === undefined ? 'has not registered its runner' : `has not read ${host.wakeStream}`;
      violations.push({
        property: 'deaf-runner',
        message: `${name} ${what} since ${silentSinceMs} ms while ${waitingWakes} wake(s) waited (the oldest since ${oldestMs} ms); a runner must be back within ${deafAfterMs} ms`,
        step,
        atMs: silentSinceMs + deafAfterMs,
        ...(eventIndex === undefined ? {} : { eventIndex }),
      });
    }
  };

  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    check(event.atMs, event.step, eventIndex);
    follow(event, hosts, waiting);
  });
  check(history.endMs, history.steps, undefined);
  return violations;
}

function follow(event: TraceEvent, hosts: Map<string, Host>, waiting: Map<string, { readonly wakeStream: string; readonly sinceMs: number }>): void {
  const detail = event.detail;
  switch (event.kind) {
    case 'process-start':
      hosts.set(event.actor, { startedAtMs: event.atMs, stopping: false, wakeStream: undefined, lastReadAtMs: undefined, flagged: false });
      return;
    case 'sigterm': {
      const host = hosts.get(event.actor);
      if (host) host.stopping = true;
      return;
    }
    case 'process-exit':
      hosts.delete(event.actor);
      return;
    case 'runner-registered': {
      const host = hosts.get(String(detail['peer']));
      if (host && typeof detail['wakeStream'] === 'string') host.wakeStream = detail['wakeStream'];
      return;
    }
    case 'stream-read': {
      const host = hosts.get(String(detail['peer']));
      if (host && host.wakeStream === detail['stream']) host.lastReadAtMs = event.atMs;
      return;
    }
    case 'wake-appended':
      if (typeof detail['wakeStream'] === 'string' && typeof detail['offset'] === 'string') {
        waiting.set(`${String(detail['subscription'])}#${String(detail['generation'])}`, { wakeStream: detail['wakeStream'], sinceMs: event.atMs });
      }
      return;
    case 'lease-granted':
      waiting.delete(`${String(detail['subscription'])}#${String(detail['generation'])}`);
      return;
  }
}
