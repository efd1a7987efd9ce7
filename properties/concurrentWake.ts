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
  /** Processes running a handler of this wake now, with since when. */
  readonly handlers: Map<string, number>;
}

/**
 * Safety: two wakes of one entity never run at the same time. A wake runs from the agents server's grant of its claim
 * while the Durable Streams service leases it, and for as long as a handler of it, as the scenario's probe saw it,
 * has started and not ended in a process still alive. A violation is a grant, or a handler start, of one wake while
 * another wake of the same entity runs — in practice a handler that outlived its lease while the service handed the
 * entity's next wake out — and two handlers of the same wake at once. Judged from `claim-answered`, `lease-ended`,
 * `handler-start`, `handler-end` and `process-exit`; nothing the runtime says of itself.
 */
export function concurrentWake(history: RunHistory): Violation[] {
  const wakes = new Map<string, ObservedWake>();
  const byGeneration = new Map<string, ObservedWake>();
  const violations: Violation[] = [];
  const reported = new Set<string>();
  const report = (event: TraceEvent, eventIndex: number, pair: string, message: string): void => {
    if (reported.has(pair)) return;
    reported.add(pair);
    violations.push({ property: 'concurrent-wake', message, step: event.step, atMs: event.atMs, eventIndex });
  };
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
          handlers: new Map(),
        };
        const other = runningOf(wake.entity, wake);
        if (other) report(event, eventIndex, `${other.wakeId} ${wake.wakeId}`, `${wake.entity}: wake ${wake.wakeId} granted while ${describe(other)} still runs`);
        wakes.set(wake.wakeId, wake);
        byGeneration.set(wakeKey(detail), wake);
        return;
      }
      case 'lease-ended': {
        const wake = byGeneration.get(wakeKey(detail));
        if (wake) wake.leaseEnded = true;
        return;
      }
      case 'handler-start': {
        const wake = wakes.get(String(detail['wakeId']));
        if (!wake) return;
        const other = runningOf(wake.entity, wake);
        if (other) report(event, eventIndex, `${other.wakeId} ${wake.wakeId}`, `${wake.entity}: the handler of wake ${wake.wakeId} started in ${event.actor} while ${describe(other)} still runs`);
        const twin = [...wake.handlers.keys()][0];
        if (twin !== undefined) report(event, eventIndex, `${wake.wakeId} twice`, `${wake.entity}: a second handler of wake ${wake.wakeId} started in ${event.actor} while the one in ${twin} runs`);
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
