import { AGENTS_ROUTES } from '../../protocol/agents/agentsRoutes.ts';
import type { LeaseRenewalPromise } from '../../protocol/host/LeaseRenewalPromise.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { wakeRouteOf } from '../observed/agentsRoute.ts';
import { UnseenAnswers } from '../observed/unseenAnswers.ts';
import type { WorldTiming } from '../observed/worldTiming.ts';
import { FINAL_REFUSALS } from './renewalAfterRefusal.ts';

/** Wire faults that keep a request from the agents server: the runtime sent it, and gets no answer. */
const REQUEST_NEVER_ARRIVED: ReadonlySet<string> = new Set(['connection-drop', 'hung-request']);

/** A wake the agents server granted a runner process, which owes it renewals while it runs. */
interface RenewedWake {
  readonly peer: string;
  readonly wakeId: string;
  readonly leaseTtlMs: number;
  /** When the agents server answered the claim (the claim's answer may still be disowned by its caller). */
  readonly claimedAtMs: number;
  /** When the last renewal reached the world (or the claim was answered): the gap is counted from here. */
  lastRenewalAtMs: number;
  /** When a renewal got no answer the runtime could read, with no renewal since. */
  unansweredAtMs?: number;
  /** Server times of the claim and of the renewals answered 200 whose answers reached the runtime, in order. */
  readonly confirmedAtMs: number[];
  /** When the next renewal is overdue, kept up to date by {@link refresh}; undefined while none is owed. */
  overdue?: Overdue;
  /** When the last renewal confirmed to the runtime was answered, with no renewal since (`minGapAfterConfirmedMs`). */
  confirmedRenewalAtMs?: number;
}

/**
 * A renewal that came sooner than promised after a confirmed one, judged once that confirmation can no longer be
 * withdrawn.
 */
interface EarlyRenewal {
  readonly wake: RenewedWake;
  readonly confirmedAtMs: number;
  readonly gapMs: number;
  readonly promisedMs: number;
  readonly event: TraceEvent;
  readonly eventIndex: number;
}

/** A renewal owed by a deadline, and what it is owed after. */
interface Overdue {
  readonly dueAtMs: number;
  readonly sinceMs: number;
  readonly promisedMs: number;
  readonly what: string;
}

/**
 * Renewals on the runtime's own schedule: a runtime that declares a {@link LeaseRenewalPromise} sends, for every wake
 * the agents server granted one of its processes, a renewal at most `maxRenewalGapMs` after the claim and after each
 * renewal before (and, if it says so, one at most `retryUnansweredWithinMs` after a renewal that got no answer, and
 * none sooner than `minGapAfterConfirmedMs` after a renewal whose 200 it read), until the wake's done goes out, a
 * renewal is refused for good (401, 409), its process begins to stop, or `claimKeptUnconfirmedMs` have passed since the
 * claim or the last renewal confirmed to it. A renewal counts where the world saw it: at the agents server, turned away
 * at its door, or lost on the wire. A claim or a 200 whose answer did not reach the runtime (lost, or read by no one)
 * starts or extends nothing, and a 200 that may reach it only after its promise ran out does not extend it; each
 * deadline allows three deliveries and 100 ms, the minimum gap none (it counts from the server's answer, which the
 * runtime reads no sooner). A runtime that declares nothing is not judged by this rule. Not judged: renewals after the
 * first done attempt or the SIGTERM (a runtime may stop renewing there), so a defect in renewing through done retries
 * or a stop's drain goes unseen.
 */
export function renewalSchedule(history: RunHistory, timing: WorldTiming): Violation[] {
  const promise = history.leaseRenewal;
  if (!promise) return [];
  // The renewal before left up to a delivery before the server saw it, its answer took one back (a schedule may count
  // from the answer), and the next takes one to arrive; 100 ms for the steps in between.
  const slackMs = 3 * timing.maxDeliveryMs + 100;
  const wakes = new Map<string, RenewedWake>();
  /**
   * Claims answered 200, by `<peer> <claim path> <answered at>`, so that an answer nobody read can withdraw its wake.
   * The path names the runner, not the entity: claims of two entities answered in the same millisecond share a key,
   * and an answer nobody read withdraws both (the rule then judges neither rather than the wrong one).
   */
  const claimsByAnswer = new Map<string, string[]>();
  /** Processes that began to stop or ended: a claim answered to one starts nothing. */
  const stopped = new Set<string>();
  /** Lease lengths by `<subscription> <generation>`, as the Durable Streams service granted them. */
  const ttlByGrant = new Map<string, number>();
  const unseen = new UnseenAnswers();
  // A trace with no grant to read the lease from takes the world's; a hand-made one with neither, semantics.md's 30 s.
  const defaultTtlMs = Number(history.events.find((event) => event.kind === 'world-configured' && !event.annotation)?.detail['leaseTtlMs'] ?? 30_000);
  const violations: Violation[] = [];
  /** Renewals sooner than `minGapAfterConfirmedMs`, judged at the end (the 200 before may yet turn out unread). */
  const early: EarlyRenewal[] = [];

  const endPeer = (peer: string): void => {
    stopped.add(peer);
    for (const [key, wake] of wakes) if (wake.peer === peer) wakes.delete(key);
  };
  /** A renewal of `wake` the world saw at `event`, answered or not as far as the runtime could read. */
  const renewalSeen = (wake: RenewedWake | undefined, event: TraceEvent, eventIndex: number, answered: boolean): void => {
    if (!wake) return;
    const atMs = event.atMs;
    const minGapMs = promise.minGapAfterConfirmedMs?.(wake.leaseTtlMs);
    if (minGapMs !== undefined && wake.confirmedRenewalAtMs !== undefined && atMs - wake.confirmedRenewalAtMs < minGapMs) {
      early.push({ wake, confirmedAtMs: wake.confirmedRenewalAtMs, gapMs: atMs - wake.confirmedRenewalAtMs, promisedMs: minGapMs, event, eventIndex });
    }
    delete wake.confirmedRenewalAtMs;
    wake.lastRenewalAtMs = atMs;
    if (answered) delete wake.unansweredAtMs;
    else wake.unansweredAtMs = atMs;
    refresh(wake, promise, timing, slackMs);
  };
  /** A renewal the agents server answered `status` (itself, or by a refusal of its own before it read the wake). */
  const renewalAnswered = (peer: string, wakeId: string, status: number, event: TraceEvent, eventIndex: number): void => {
    const key = `${peer} ${wakeId}`;
    const seen = unseen.seen(`${peer} ${AGENTS_ROUTES.renew(wakeId)}`);
    if (seen && FINAL_REFUSALS.has(status)) return void wakes.delete(key);
    const wake = wakes.get(key);
    const confirmed = wake !== undefined && seen && status === 200;
    if (confirmed) wake.confirmedAtMs.push(event.atMs);
    renewalSeen(wake, event, eventIndex, seen && status < 500 && status !== 429);
    // After renewalSeen, which clears the confirmation of the renewal before.
    if (confirmed) wake.confirmedRenewalAtMs = event.atMs;
  };

  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    for (const [key, wake] of wakes) {
      const overdue = wake.overdue;
      if (overdue === undefined || event.atMs <= overdue.dueAtMs) continue;
      wakes.delete(key);
      violations.push({ property: 'protocol', message: renewalMissing(wake, overdue, event.atMs), step: event.step, atMs: event.atMs, eventIndex });
    }
    unseen.observe(event);
    const detail = event.detail;
    const peer = String(detail['peer']);
    switch (event.kind) {
      case 'sigterm':
      case 'process-exit':
        return endPeer(event.actor);
      case 'lease-granted':
        ttlByGrant.set(`${String(detail['subscription'])} ${String(detail['generation'])}`, Number(detail['leaseTtlMs']));
        return;
      case 'claim-answered': {
        const path = AGENTS_ROUTES.claim(String(detail['runner']));
        const seen = unseen.seen(`${peer} ${path}`);
        if (Number(detail['status']) !== 200 || !seen || stopped.has(peer)) return;
        const wakeId = String(detail['wakeId']);
        const leaseTtlMs = ttlByGrant.get(`${String(detail['subscription'])} ${String(detail['generation'])}`) ?? defaultTtlMs;
        const wake: RenewedWake = { peer, wakeId, leaseTtlMs, claimedAtMs: event.atMs, lastRenewalAtMs: event.atMs, confirmedAtMs: [event.atMs] };
        wakes.set(`${peer} ${wakeId}`, refresh(wake, promise, timing, slackMs));
        const answerKey = `${peer} ${path} ${event.atMs}`;
        claimsByAnswer.set(answerKey, [...(claimsByAnswer.get(answerKey) ?? []), wakeId]);
        return;
      }
      case 'renew-received':
        return renewalAnswered(peer, String(detail['wakeId']), Number(detail['status']), event, eventIndex);
      case 'done-received':
        unseen.seen(`${peer} ${AGENTS_ROUTES.done(String(detail['wakeId']))}`);
        return void wakes.delete(`${peer} ${String(detail['wakeId'])}`);
      case 'request-refused':
      case 'fault': {
        if (event.kind === 'fault' && !REQUEST_NEVER_ARRIVED.has(String(detail['kind']))) return;
        const route = wakeRouteOf(String(detail['path']));
        if (route?.route === 'done') return void wakes.delete(`${peer} ${route.wakeId}`);
        if (route?.route !== 'renew') return;
        // Turned away at the door (Network.ts) or refused by the server itself: an answer, which the wire may lose.
        if (event.kind === 'request-refused') return renewalAnswered(peer, route.wakeId, Number(detail['status']), event, eventIndex);
        return renewalSeen(wakes.get(`${peer} ${route.wakeId}`), event, eventIndex, false);
      }
      case 'answer-unclaimed':
        return answerUnclaimed(event, wakes, claimsByAnswer, (wake) => refresh(wake, promise, timing, slackMs));
      default:
        return;
    }
  });
  for (const { wake, confirmedAtMs, gapMs, promisedMs, event, eventIndex } of early) {
    if (!wake.confirmedAtMs.includes(confirmedAtMs)) continue;
    violations.push({
      property: 'protocol',
      message: `lease renewal: ${wake.peer} renewed ${wake.wakeId} ${gapMs} ms after the agents server confirmed its renewal (it promised to wait ${promisedMs} ms)`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  }
  const last = history.events.at(-1);
  for (const wake of wakes.values()) {
    const overdue = wake.overdue;
    if (overdue === undefined || history.endMs <= overdue.dueAtMs) continue;
    violations.push({ property: 'protocol', message: `${renewalMissing(wake, overdue, history.endMs)}, to the end of the run`, step: last?.step ?? history.steps, atMs: history.endMs });
  }
  return violations;
}

/**
 * An answer the caller had given up on before it arrived: a claim's withdraws its wake (the runtime never got it), a
 * renewal's is one that got no answer (and a 200 in it confirmed nothing).
 */
function answerUnclaimed(event: TraceEvent, wakes: Map<string, RenewedWake>, claimsByAnswer: ReadonlyMap<string, readonly string[]>, changed: (wake: RenewedWake) => void): void {
  const detail = event.detail;
  const peer = String(detail['peer']);
  const answeredAtMs = Number(detail['answeredAtMs']);
  const claimed = claimsByAnswer.get(`${peer} ${String(detail['path'])} ${answeredAtMs}`);
  if (claimed !== undefined) {
    for (const wakeId of claimed) if (wakes.get(`${peer} ${wakeId}`)?.claimedAtMs === answeredAtMs) wakes.delete(`${peer} ${wakeId}`);
    return;
  }
  const route = wakeRouteOf(String(detail['path']));
  const wake = route?.route === 'renew' ? wakes.get(`${peer} ${route.wakeId}`) : undefined;
  if (!wake) return;
  const confirmed = wake.confirmedAtMs.lastIndexOf(answeredAtMs);
  if (confirmed > 0) wake.confirmedAtMs.splice(confirmed, 1);
  if (wake.lastRenewalAtMs === answeredAtMs) wake.unansweredAtMs = answeredAtMs;
  if (wake.confirmedRenewalAtMs === answeredAtMs) delete wake.confirmedRenewalAtMs;
  changed(wake);
}

/** The violation's message: how long the wake went without the renewal it was owed, against the promise. */
function renewalMissing(wake: RenewedWake, overdue: Overdue, atMs: number): string {
  const allowedMs = overdue.dueAtMs - overdue.sinceMs;
  return `lease renewal: ${wake.peer} sent no renewal of ${wake.wakeId} for ${atMs - overdue.sinceMs} ms ${overdue.what} (it promised one within ${overdue.promisedMs} ms; ${allowedMs} ms with the world's delays)`;
}

/** Brings `wake`'s deadline up to date after its renewals or confirmations changed; returns the wake. */
function refresh(wake: RenewedWake, promise: LeaseRenewalPromise, timing: WorldTiming, slackMs: number): RenewedWake {
  const overdue = overdueAt(wake, promise, timing, slackMs);
  if (overdue === undefined) delete wake.overdue;
  else wake.overdue = overdue;
  return wake;
}

/** When `wake`'s next renewal is overdue, and since what; undefined if its promise has run out by then. */
function overdueAt(wake: RenewedWake, promise: LeaseRenewalPromise, timing: WorldTiming, slackMs: number): Overdue | undefined {
  const gapMs = promise.maxRenewalGapMs(wake.leaseTtlMs);
  const retryMs = wake.unansweredAtMs === undefined ? undefined : promise.retryUnansweredWithinMs?.(wake.leaseTtlMs);
  const byGap = { dueAtMs: wake.lastRenewalAtMs + gapMs + slackMs, sinceMs: wake.lastRenewalAtMs, promisedMs: gapMs, what: wake.lastRenewalAtMs === wake.claimedAtMs ? 'after its claim' : 'after its last renewal' };
  const byRetry = retryMs === undefined ? undefined : { dueAtMs: wake.unansweredAtMs! + retryMs + slackMs, sinceMs: wake.unansweredAtMs!, promisedMs: retryMs, what: 'after a renewal that got no answer' };
  const due = byRetry !== undefined && byRetry.dueAtMs < byGap.dueAtMs ? byRetry : byGap;
  const keptMs = promise.claimKeptUnconfirmedMs?.(wake.leaseTtlMs);
  if (keptMs !== undefined && due.dueAtMs >= keptUntilMs(wake.confirmedAtMs, keptMs, timing.maxDeliveryMs)) return undefined;
  return due;
}

/**
 * The earliest moment the runtime may have given its claim up: `keptMs` after the claim, or after the last renewal
 * confirmed to it, went out (a delivery before the server saw it, at the earliest). A confirmation counts only if its
 * answer reached the runtime before the claim could have been given up.
 */
function keptUntilMs(confirmedAtMs: readonly number[], keptMs: number, maxDeliveryMs: number): number {
  let untilMs = -Infinity;
  for (const atMs of confirmedAtMs) {
    if (untilMs !== -Infinity && atMs + maxDeliveryMs >= untilMs) break;
    untilMs = Math.max(untilMs, atMs - maxDeliveryMs + keptMs);
  }
  return untilMs;
}
