import { AGENTS_ROUTES } from '../protocol/agents/agentsRoutes.ts';
import { streamPath } from '../protocol/streams/streamsProtocol.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import { RUNTIME_RULES } from './protocol/runtimeRules.ts';
import { UnheardRegistrations } from './observed/unheardRegistrations.ts';
import { worldTiming } from './observed/worldTiming.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** A host process as the world saw it. */
interface Host {
  readonly startedAtMs: number;
  /** The runner the platform started it as, when its `process-start` says (a world of several runners). */
  readonly runner: string | undefined;
  /** From SIGTERM on, the host is stopping: it is expected to stop reading. */
  stopping: boolean;
  /** The wake stream of the runner it registered, once it did. */
  wakeStream: string | undefined;
  /** When the service last answered (or dropped, or refused while down) a read of that wake stream by it. */
  lastReadAtMs: number | undefined;
  /**
   * The network swallowed its latest read (a connect that hung, an answer lost on a half-open socket): the runner can
   * only learn of it by giving the read up, so it is allowed that long on top of the backoff. `answer-due` while the
   * swallowed answer of a stale connection is still to come (the service records the read when it answers).
   */
  swallowed: 'no' | 'yes' | 'answer-due';
  flagged: boolean;
}

/**
 * Liveness: a live host whose runner does not read its wake stream — or never registers — for longer than the
 * reconnect backoff allows while wakes are waiting for it. A wake waits from the moment the service appends it to the
 * wake stream until a claim of it is granted. A runner that follows its stream has a read answered at least once per
 * long-poll, and one that lost its connection is back within the 30 s backoff cap; so a host silent for longer than
 * the cap plus a long-poll (plus two deliveries) after a wake began waiting — or after its last read, or its start,
 * whichever came last — is deaf. A read the network dropped (`connection-drop`, `lost-answer`) counts as an attempt, as
 * a read the service refused while down does; a read it swallowed (`hung-connect`, `stale-connection`) counts too, and
 * the runner gets {@link RUNTIME_RULES.unansweredReadAbandonMs} more to give it up. Before its runner registered, a
 * host's registration attempts count the same way: one the network dropped, lost the answer of or hung (`hung-request`
 * too), or the agents server refused while down, is the runner trying, not a runner gone deaf; and a registration
 * whose answer was lost is one the runner never learnt of, so it is still registering. Judged from the
 * service's and the network's observations (`process-start`, `sigterm`, `process-exit`, `runner-registered`,
 * `stream-read`, `request-refused`, `wake-appended`, `lease-granted`, `fault`, `entity-created`), at each event and at
 * the end. Only the wakes of a host's own runner count: once it registered, those appended to the wake stream it
 * registered; before, when the platform said which runner it started the host as (a world of several runners), those
 * of that runner's wake stream (as `entity-created` or another process's registration named it); else every wake.
 */
export function deafRunner(history: RunHistory): Violation[] {
  const timing = worldTiming(history.events);
  const deafAfterMs = RUNTIME_RULES.reconnectMaxBackoffMs + timing.longPollTimeoutMs + 2 * timing.maxDeliveryMs;
  const hosts = new Map<string, Host>();
  /** Wakes appended and not yet granted: `subscription#generation` -> wake stream and since when. */
  const waiting = new Map<string, { readonly wakeStream: string; readonly sinceMs: number }>();
  /** Each runner's wake stream, as the agents server named it. */
  const wakeStreams = new Map<string, string>();
  const unheard = new UnheardRegistrations(history.events);
  const violations: Violation[] = [];

  const check = (nowMs: number, step: number, eventIndex: number | undefined): void => {
    for (const [name, host] of hosts) {
      if (host.stopping || host.flagged) continue;
      // Counted in place: this runs for every event and every host, and arrays here were most of the property's cost.
      let waitingWakes = 0;
      let oldestMs = Infinity;
      // Undefined: any wake is its runner's (one runner in the world). A runner with no known wake stream has no wakes.
      const ownStream = host.wakeStream ?? (host.runner === undefined ? undefined : (wakeStreams.get(host.runner) ?? ''));
      for (const wake of waiting.values()) {
        if (ownStream !== undefined && wake.wakeStream !== ownStream) continue;
        waitingWakes += 1;
        if (wake.sinceMs < oldestMs) oldestMs = wake.sinceMs;
      }
      if (waitingWakes === 0) continue;
      const silentSinceMs = Math.max(host.startedAtMs, host.lastReadAtMs ?? host.startedAtMs, oldestMs);
      const allowedMs = deafAfterMs + (host.swallowed === 'no' ? 0 : RUNTIME_RULES.unansweredReadAbandonMs);
      if (nowMs - silentSinceMs <= allowedMs) continue;
      host.flagged = true;
      const what = host.wakeStream === undefined ? 'has not registered its runner' : `has not read ${host.wakeStream}`;
      violations.push({
        property: 'deaf-runner',
        message: `${name} ${what} since ${silentSinceMs} ms while ${waitingWakes} wake(s) waited (the oldest since ${oldestMs} ms); a runner must be back within ${allowedMs} ms`,
        step,
        atMs: silentSinceMs + allowedMs,
        ...(eventIndex === undefined ? {} : { eventIndex }),
      });
    }
  };

  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    check(event.atMs, event.step, eventIndex);
    follow(event, hosts, waiting, wakeStreams, unheard);
  });
  check(history.endMs, history.steps, undefined);
  return violations;
}

function follow(
  event: TraceEvent,
  hosts: Map<string, Host>,
  waiting: Map<string, { readonly wakeStream: string; readonly sinceMs: number }>,
  wakeStreams: Map<string, string>,
  unheard: UnheardRegistrations,
): void {
  const detail = event.detail;
  switch (event.kind) {
    case 'process-start':
      hosts.set(event.actor, { startedAtMs: event.atMs, runner: typeof detail['runner'] === 'string' ? detail['runner'] : undefined, stopping: false, wakeStream: undefined, lastReadAtMs: undefined, swallowed: 'no', flagged: false });
      return;
    case 'sigterm': {
      const host = hosts.get(event.actor);
      if (host) host.stopping = true;
      return;
    }
    case 'process-exit':
      hosts.delete(event.actor);
      return;
    case 'entity-created':
      if (typeof detail['runner'] === 'string' && typeof detail['wakeStream'] === 'string') wakeStreams.set(detail['runner'], detail['wakeStream']);
      return;
    case 'runner-registered': {
      if (typeof detail['runner'] === 'string' && typeof detail['wakeStream'] === 'string') wakeStreams.set(detail['runner'], detail['wakeStream']);
      const host = hosts.get(String(detail['peer']));
      // Not a registration whose answer was lost: the runner never learnt of it, and registers again.
      if (host && typeof detail['wakeStream'] === 'string' && !unheard.isUnheard(event)) host.wakeStream = detail['wakeStream'];
      return;
    }
    case 'stream-read': {
      const host = hosts.get(String(detail['peer']));
      if (!host || host.wakeStream !== detail['stream']) return;
      host.lastReadAtMs = event.atMs;
      // The answer of a stale connection is recorded here, but the runner never gets it: still swallowed.
      host.swallowed = host.swallowed === 'answer-due' ? 'yes' : 'no';
      return;
    }
    case 'request-refused': {
      // Turned away at the door while the service was down: an answer all the same, and the runner backs off from it.
      const host = attemptingHost(hosts, detail);
      if (!host) return;
      host.lastReadAtMs = event.atMs;
      host.swallowed = 'no';
      return;
    }
    case 'fault': {
      const kind = detail['kind'];
      if (kind !== 'hung-connect' && kind !== 'hung-request' && kind !== 'stale-connection' && kind !== 'connection-drop' && kind !== 'lost-answer') return;
      const host = attemptingHost(hosts, detail);
      if (!host) return;
      // The runner did try: a request the network hung or dropped may never reach the service, so this is the only
      // sign of it. A dropped one (or one whose answer was lost) fails at once, an answer the runner backs off from,
      // like a refused one.
      host.lastReadAtMs = event.atMs;
      host.swallowed = kind === 'hung-connect' || kind === 'hung-request' ? 'yes' : kind === 'stale-connection' ? 'answer-due' : 'no';
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

/**
 * The host whose request this is, when it is what its runner must do to hear of wakes: a read (GET) of its own wake
 * stream once registered, or a registration before that.
 */
function attemptingHost(hosts: ReadonlyMap<string, Host>, detail: TraceEvent['detail']): Host | undefined {
  const host = hosts.get(String(detail['peer']));
  if (!host) return undefined;
  if (host.wakeStream === undefined) return detail['method'] === 'POST' && detail['path'] === AGENTS_ROUTES.register() ? host : undefined;
  return detail['method'] === 'GET' && detail['path'] === streamPath(host.wakeStream) ? host : undefined;
}
