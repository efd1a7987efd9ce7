import type { TraceEvent } from '../../sim/trace/Trace.ts';

/**
 * Which runtime annotation gives its own account of an exchange a server observed: a runtime that annotates its
 * claims (`claim-settled`, `claim-failed`) and dones (`wake-acked`, `ack-failed`) tells of the same request the agents
 * server recorded (`claim-answered`, `done-received`). The sequence diagram draws the exchange once, from the
 * server's observation, with the runtime's outcome added to it; and the `acks-applied` of the Durable Streams service
 * that a done caused, drawn after that done.
 */
export interface RuntimeAccounts {
  /** Event index of a `claim-answered` or `done-received` → the index of the annotation telling its outcome. */
  readonly accountOf: ReadonlyMap<number, number>;
  /** Indices of the annotations an observation took up: not drawn again as arrows of their own. */
  readonly absorbed: ReadonlySet<number>;
  /** Event index of an accepted `done-received` → the indices of the `acks-applied` it caused. */
  readonly acksOf: ReadonlyMap<number, readonly number[]>;
}

/** An observed request not yet given its runtime account. */
interface Pending {
  readonly index: number;
  /** The server granted the claim / accepted the done (200). */
  readonly succeeded: boolean;
}

/**
 * Pairs each claim and done annotation with the server's observation of the request it reports: the latest earlier
 * unpaired observation of the same process and subscription (claims) or wake (dones) — the last attempt, when a
 * runtime retried — whose success agrees with the annotation's (a `dispatched` claim was granted; another outcome was
 * not; a failure may follow either, its answer lost on the way). Pairs each `acks-applied` with the accepted done of
 * the same step and generation that applied it.
 */
export function runtimeAccounts(events: readonly TraceEvent[]): RuntimeAccounts {
  const accountOf = new Map<number, number>();
  const absorbed = new Set<number>();
  const acksOf = new Map<number, number[]>();
  const pending = new Map<string, Pending[]>();
  const unpairedAcks: number[] = [];
  const take = (key: string, agrees: (candidate: Pending) => boolean, annotation: number): void => {
    const candidates = pending.get(key) ?? [];
    for (let position = candidates.length - 1; position >= 0; position -= 1) {
      if (!agrees(candidates[position]!)) continue;
      accountOf.set(candidates[position]!.index, annotation);
      absorbed.add(annotation);
      candidates.splice(position, 1);
      return;
    }
  };
  const remember = (key: string, entry: Pending): void => {
    const entries = pending.get(key);
    if (entries) entries.push(entry);
    else pending.set(key, [entry]);
  };

  events.forEach((event, index) => {
    const detail = event.detail;
    if (!event.annotation) {
      if (event.kind === 'claim-answered') remember(claimKey(String(detail['peer']), detail['subscription']), { index, succeeded: detail['status'] === 200 });
      if (event.kind === 'acks-applied') unpairedAcks.push(index);
      if (event.kind === 'done-received') {
        remember(doneKey(String(detail['peer']), detail['wakeId']), { index, succeeded: detail['status'] === 200 });
        // The service applies a done's acks while the server handles it: in the same step, before the server records it.
        const applied = unpairedAcks.filter((candidate) => events[candidate]!.step === event.step && events[candidate]!.detail['generation'] === detail['generation']);
        if (detail['status'] === 200 && applied.length > 0) {
          acksOf.set(index, applied);
          for (const candidate of applied) unpairedAcks.splice(unpairedAcks.indexOf(candidate), 1);
        }
      }
      return;
    }
    const key = claimKey(event.actor, detail['subscription']);
    if (event.kind === 'claim-settled') take(key, (candidate) => candidate.succeeded === (detail['outcome'] === 'dispatched'), index);
    if (event.kind === 'claim-failed') take(key, () => true, index);
    if (event.kind === 'wake-acked') take(doneKey(event.actor, detail['wakeId']), (candidate) => candidate.succeeded, index);
    if (event.kind === 'ack-failed') take(doneKey(event.actor, detail['wakeId']), () => true, index);
  });
  return { accountOf, absorbed, acksOf };
}

const claimKey = (process: string, subscription: unknown): string => `claim ${process} ${String(subscription)}`;
const doneKey = (process: string, wakeId: unknown): string => `done ${process} ${String(wakeId)}`;
