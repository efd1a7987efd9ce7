import type { TraceEvent } from '../sim/trace/Trace.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';
import { wakeKey } from './observed/wakeKey.ts';

/** One claimed wake as the servers and the scenario's probes saw it. */
interface ObservedWake {
  readonly wakeId: string;
  readonly subscription: string;
  readonly generation: number;
  readonly entity: string;
  /** False from the grant until the service ends its lease (done, release or expiry). */
  leaseEnded: boolean;
  /**
   * A server restart took the lease from under the wake: the Durable Streams service forgot it (`lost`), or the agents
   * server forgot the wake's write token while the lease was held, so that no renewal of it could be accepted.
   */
  forgottenByRestart: boolean;
  /**
   * The lease ran out while the hosts' network was out (a `network-outage` under way), and a renewal of this wake had
   * been lost to that outage: the holder tried, and no renewal could reach a server.
   */
  cutByNetwork: boolean;
  /** The agents server lost the wake's write token in a restart while its lease was held (confirmed by a refusal). */
  tokenLost: boolean;
  /** A renewal of the wake was lost on the wire to a network outage. */
  renewalLostToOutage: boolean;
  /** Processes running a handler of this wake now, with since when. */
  readonly handlers: Map<string, number>;
}

/**
 * Why two wakes of one entity ran at once, from the servers' observations (a violation's `cause`):
 * - `restart-forgot-lease`: the older wake's lease was taken from under it by a server restart (the Durable Streams
 *   service forgot its lease; or the agents server lost its write token while the lease was held, and a renewal of it
 *   was then refused 401) while its handler ran or had yet to start. Semantics.md lets a restart lose that state; what a runtime can still do is stop the
 *   handler once it learns of it.
 * - `network-cut-lease`: the older lease ran out while the hosts' network was out (a `network-outage` under way when
 *   it expired) and a renewal of it had been lost to that outage: the holder tried, and no renewal could reach a
 *   server; the world's doing, as a restart is. An outage alone is not enough: a holder that had stopped renewing is
 *   `lease-outlived` whatever the network did at the end.
 * - `lease-outlived`: a handler outlived its wake's lease, which ended with neither behind it (ran out, or was released
 *   by a done while the handler ran): the holder did not keep it (renewals stopped, or were held up) or gave it up too
 *   early.
 * - `two-leases`: the service granted the entity's next wake while the older lease was still held.
 * - `two-handlers`: two handlers of one wake at once.
 */
export type ConcurrentWakeCause = 'restart-forgot-lease' | 'network-cut-lease' | 'lease-outlived' | 'two-leases' | 'two-handlers';

/**
 * The causes that are the world's doing, not a runtime's: semantics.md lets a restart forget a lease, and no renewal
 * crosses a network that is out. A run that shows one says nothing of a runtime by itself (`npm run mutants` counts
 * them only when a mutant shows them far more often than the unmutated runtime does).
 */
export const WORLD_CAUSES: ReadonlySet<ConcurrentWakeCause> = new Set(['restart-forgot-lease', 'network-cut-lease']);

const CAUSE_WORDS: Readonly<Record<ConcurrentWakeCause, string>> = {
  'restart-forgot-lease': 'a server restart forgot the older lease',
  'network-cut-lease': 'the older lease ran out while the network was out',
  'lease-outlived': 'a handler outlived its lease, which no restart ended',
  'two-leases': 'both leases held',
  'two-handlers': 'one wake, two handlers',
};

/** The renew route of a wake (`/_electric/wakes/:id/renew`), with the wake id. */
const RENEW_PATH = /^\/_electric\/wakes\/([^/]+)\/renew$/;

/** One key for two wakes, in either order. */
function pairKey(first: string, second: string): string {
  return first < second ? `${first} ${second}` : `${second} ${first}`;
}

/**
 * Safety: two wakes of one entity never run at the same time. A wake runs from the agents server's grant of its claim
 * while the Durable Streams service leases it, and for as long as a handler of it, as the scenario's probe saw it,
 * has started and not ended in a process still alive. A violation is a grant, or a handler start, of one wake while
 * another wake of the same entity runs — in practice a handler that outlived its lease while the service handed the
 * entity's next wake out — and two handlers of the same wake at once. Judged from `claim-answered`, `lease-ended`,
 * `handler-start`, `handler-end` and `process-exit` (and, for the cause, `server-down`, `renew-received` and the
 * `network-outage` faults with the renewals they cut); nothing the runtime says of itself. Each violation names its {@link ConcurrentWakeCause}, in its message and as its `cause`.
 */
export function concurrentWake(history: RunHistory): Violation[] {
  const wakes = new Map<string, ObservedWake>();
  const byGeneration = new Map<string, ObservedWake>();
  const violations: Violation[] = [];
  const reported = new Set<string>();
  /** `pair` names the two wakes in either order: the same two are reported once, whichever event showed them first. */
  const report = (event: TraceEvent, eventIndex: number, pair: string, message: string, cause: ConcurrentWakeCause): void => {
    if (reported.has(pair)) return;
    reported.add(pair);
    violations.push({ property: 'concurrent-wake', message: `${message} (${CAUSE_WORDS[cause]})`, step: event.step, atMs: event.atMs, eventIndex, cause });
  };
  /** The cause, from the wake whose lease had ended while it ran: the one of the two that ran on without it. */
  const causeOf = (first: ObservedWake, second: ObservedWake): ConcurrentWakeCause => {
    const outlived = first.leaseEnded ? first : second.leaseEnded ? second : undefined;
    if (!outlived) return 'two-leases';
    return outlived.forgottenByRestart ? 'restart-forgot-lease' : outlived.cutByNetwork ? 'network-cut-lease' : 'lease-outlived';
  };
  /** When the hosts' network outage under way ends (outages overlap into one; the quiet period ends any). */
  let networkOutEndsAtMs = Number.NEGATIVE_INFINITY;
  const runningOf = (entity: string, except: ObservedWake): ObservedWake | undefined =>
    [...wakes.values()].find((wake) => wake !== except && wake.entity === entity && (!wake.leaseEnded || wake.handlers.size > 0));
  const describe = (wake: ObservedWake): string => {
    const handlers = [...wake.handlers].map(([process, sinceMs]) => `its handler open in ${process} since ${sinceMs} ms`);
    return `wake ${wake.wakeId} (generation ${wake.generation}: ${[...(wake.leaseEnded ? [] : ['its lease held']), ...handlers].join(', ')})`;
  };

  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    const detail = event.detail;
    switch (event.kind) {
      case 'claim-answered': {
        if (detail['status'] !== 200) return;
        const wake: ObservedWake = {
          wakeId: String(detail['wakeId']),
          subscription: String(detail['subscription']),
          generation: Number(detail['generation']),
          entity: String(detail['entity']),
          leaseEnded: false,
          forgottenByRestart: false,
          cutByNetwork: false,
          tokenLost: false,
          renewalLostToOutage: false,
          handlers: new Map(),
        };
        const other = runningOf(wake.entity, wake);
        if (other) report(event, eventIndex, pairKey(other.wakeId, wake.wakeId), `${wake.entity}: wake ${wake.wakeId} granted while ${describe(other)} still runs`, causeOf(other, wake));
        wakes.set(wake.wakeId, wake);
        byGeneration.set(wakeKey(detail), wake);
        return;
      }
      case 'lease-ended': {
        const wake = byGeneration.get(wakeKey(detail));
        if (!wake) return;
        wake.leaseEnded = true;
        if (detail['reason'] === 'lost') wake.forgottenByRestart = true;
        if (detail['reason'] === 'expired' && event.atMs < networkOutEndsAtMs && wake.renewalLostToOutage) wake.cutByNetwork = true;
        return;
      }
      case 'fault': {
        if (detail['kind'] === 'network-outage') {
          const spanMs = Number(detail['spanMs']);
          // An outage recorded without its span says nothing of when it ends: it is not counted.
          if (Number.isFinite(spanMs)) networkOutEndsAtMs = Math.max(networkOutEndsAtMs, Math.min(event.atMs + spanMs, history.quietFromMs));
          return;
        }
        if (detail['cause'] !== 'network-outage' || typeof detail['path'] !== 'string') return;
        const renewed = RENEW_PATH.exec(detail['path']);
        const wake = renewed ? wakes.get(decodeURIComponent(renewed[1]!)) : undefined;
        if (wake) wake.renewalLostToOutage = true;
        return;
      }
      case 'renew-received': {
        // The agents server refused a renewal for want of the write token a restart lost: the restart took the lease.
        const wake = wakes.get(String(detail['wakeId']));
        if (wake?.tokenLost && detail['status'] === 401) wake.forgottenByRestart = true;
        return;
      }
      case 'server-down': {
        const tokensLost = detail['tokensLost'];
        if (!Array.isArray(tokensLost)) return;
        for (const wakeId of tokensLost) {
          const wake = wakes.get(String(wakeId));
          if (wake && !wake.leaseEnded) wake.tokenLost = true;
        }
        return;
      }
      case 'handler-start': {
        const wake = wakes.get(String(detail['wakeId']));
        if (!wake) return;
        const other = runningOf(wake.entity, wake);
        if (other) report(event, eventIndex, pairKey(other.wakeId, wake.wakeId), `${wake.entity}: the handler of wake ${wake.wakeId} started in ${event.actor} while ${describe(other)} still runs`, causeOf(wake, other));
        const twin = [...wake.handlers.keys()][0];
        if (twin !== undefined) report(event, eventIndex, `${wake.wakeId} twice`, `${wake.entity}: a second handler of wake ${wake.wakeId} started in ${event.actor} while the one in ${twin} runs`, 'two-handlers');
        wake.handlers.set(event.actor, event.atMs);
        return;
      }
      case 'handler-end':
        wakes.get(String(detail['wakeId']))?.handlers.delete(event.actor);
        return;
      case 'process-exit':
        for (const wake of wakes.values()) wake.handlers.delete(event.actor);
        return;
    }
  });
  return violations;
}
