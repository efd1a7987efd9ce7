import { shortOffset } from '../../scenarios/reportNotation.ts';
import { wakeKey } from '../../properties/observed/wakeKey.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { announcedWakeStream, observedClaimEnd, observedGrant, observedWakeStreamRead } from './observedRequests.ts';

/** Whether the shared-state handle of a wake is wired, as the trace shows it. */
export type HandleState = 'none' | 'loading' | 'failed' | 'unwired' | 'wired' | 'wired-empty';

/**
 * A host process's pull-wake runner: where it started reading its wake stream and what it has read — as the Durable
 * Streams service served it, or, before the service served it anything, as the runtime said.
 */
export interface RunnerView {
  readonly process: string;
  readonly alive: boolean;
  /** False until the runner registered and started reading. */
  readonly started: boolean;
  /** The offset the runner started from (`-1` reads the wake stream from the beginning): its first read's offset. */
  readonly startOffset: string | null;
  /** The offset after the last wake it was served (the read's next offset), or null before its first wake. */
  readonly readOffset: string | null;
  readonly wakesRead: number;
  /** Its last reported lifecycle state (`connecting`, `streaming`, ...). */
  readonly lifecycle: string | null;
}

/**
 * A wake a host is processing: from the claim the agents server granted it (or, unseen there, the runtime's wake start)
 * until the servers end its claim (a done accepted, a reaping, its lease ended) or, where its lease ended under a
 * running handler, until that handler ends.
 */
export interface WakeView {
  readonly wakeId: string;
  readonly process: string;
  readonly status: 'running' | 'failed';
  readonly handle: HandleState;
}

/** The relevant state of the system after one event: what the timeline columns show. */
export interface StoryState {
  /** The runner the event concerns: the event's host, the host a server's observation names as its peer, or the most recently started one. */
  readonly runner: RunnerView | null;
  /** The wake the event concerns: the event's host's wake, or the most recently started wake in progress. */
  readonly wake: WakeView | null;
  /** Every wake in progress, oldest first. */
  readonly wakesInProgress: readonly WakeView[];
  readonly posts: { readonly total: number; readonly duplicates: number; readonly byOccurrence: { readonly [key: string]: number } };
}

interface MutableRunner {
  process: string;
  alive: boolean;
  lifecycle: string | null;
  /** What the Durable Streams service served the process of its wake stream (a read answered 200). */
  served: { startOffset: string | null; readOffset: string | null; wakesRead: number };
  /** What the runtime said of its reads (`runner-start`, `wake-read` annotations): shown only where the service saw nothing. */
  annotated: { started: boolean; startOffset: string | null; readOffset: string | null; wakesRead: number };
}

interface MutableWake {
  wakeId: string;
  process: string;
  status: 'running' | 'failed';
  handle: HandleState;
  /** Set when the agents server granted its claim: from then on its servers' observations end it, not the runtime's word. */
  claim: { subscription: string; generation: number } | null;
  /** A handler of it started and has not ended (the scenario's probes): a lease that ends meanwhile leaves it running. */
  handlerOpen: boolean;
}

/** Annotations that end a wake in the runtime's account: followed only for a wake whose claim the servers never saw granted. */
const ANNOTATED_WAKE_END_KINDS = new Set(['wake-acked', 'ack-failed', 'wake-abandoned']);

/**
 * Walks a run's events and returns, for every event, the state after it: the runner's wake-stream position, the wake
 * in progress and whether its shared-state handle is wired, and the posts so far. Derived from the trace alone, from
 * the servers' observations where they saw it — the wake-stream reads the Durable Streams service answered, the claims
 * the agents server granted and the dones it accepted — so a runtime that annotates nothing gets the same columns; from
 * the runtime's annotations only where the servers saw nothing (where a runner starts before its first read, a wake
 * failing, the shared-state handle).
 */
export function statesAlong(events: readonly TraceEvent[]): StoryState[] {
  const runners = new Map<string, MutableRunner>();
  let newestHost: string | undefined;
  const wakeStreams = new Set<string>();
  const wakes: MutableWake[] = [];
  /** Leases the service ended, by {@link wakeKey}. */
  const leaseEnded = new Set<string>();
  const postCounts = new Map<string, number>();
  const byOccurrence: Record<string, number> = {};
  let total = 0;

  return events.map((event) => {
    const detail = event.detail;
    const host = runners.get(event.actor);
    const wakeOf = (process: string): MutableWake | undefined => [...wakes].reverse().find((wake) => wake.process === process);
    const endWakes = (ends: (wake: MutableWake) => boolean): void => {
      for (let index = wakes.length - 1; index >= 0; index -= 1) if (ends(wakes[index]!)) wakes.splice(index, 1);
    };
    const wakeStream = announcedWakeStream(event);
    if (wakeStream !== undefined) wakeStreams.add(wakeStream);
    const read = observedWakeStreamRead(event, wakeStreams);
    if (read) {
      const reader = runners.get(read.peer);
      if (reader) {
        reader.served.startOffset ??= read.offset;
        if (read.wakes.length > 0 && read.next !== null) reader.served.readOffset = read.next;
        reader.served.wakesRead += read.wakes.length;
      }
    }
    const grant = observedGrant(event);
    if (grant && !wakes.some((wake) => wake.wakeId === grant.wakeId && wake.process === grant.peer)) {
      wakes.push({ wakeId: grant.wakeId, process: grant.peer, status: 'running', handle: 'none', claim: { subscription: grant.subscription, generation: grant.generation }, handlerOpen: false });
    }
    if (event.kind === 'lease-ended' && !event.annotation) leaseEnded.add(wakeKey(detail));
    const claimEnd = observedClaimEnd(event);
    if (claimEnd) {
      // A lease that ran out or was lost under a handler still running ends the claim, not the wake: the handler goes
      // on (what concurrent-wake reports), so the wake stays in progress until a done, a reaping or the handler's end.
      endWakes((wake) =>
        claimEnd.wakeId !== undefined
          ? wake.wakeId === claimEnd.wakeId
          : wake.claim?.subscription === claimEnd.subscription && wake.claim?.generation === claimEnd.generation && !wake.handlerOpen,
      );
    }
    switch (event.kind) {
      case 'process-start':
        runners.set(event.actor, {
          process: event.actor,
          alive: true,
          lifecycle: null,
          served: { startOffset: null, readOffset: null, wakesRead: 0 },
          annotated: { started: false, startOffset: null, readOffset: null, wakesRead: 0 },
        });
        newestHost = event.actor;
        break;
      case 'process-exit':
        if (host) host.alive = false;
        endWakes((wake) => wake.process === event.actor);
        break;
      case 'runner-start':
        if (host) {
          host.annotated.started = true;
          host.annotated.startOffset = String(detail['startOffset']);
        }
        break;
      case 'runner-state':
        if (host) host.lifecycle = String(detail['state']);
        break;
      case 'wake-read':
        if (host) {
          host.annotated.readOffset = String(detail['offset']);
          host.annotated.wakesRead += 1;
        }
        break;
      case 'wake-start':
        // The runtime's word for a wake the servers did not see granted (or saw granted already: then nothing new).
        if (!wakes.some((wake) => wake.wakeId === String(detail['wakeId']) && wake.process === event.actor)) {
          wakes.push({ wakeId: String(detail['wakeId']), process: event.actor, status: 'running', handle: 'none', claim: null, handlerOpen: false });
        }
        break;
      case 'handler-start': {
        const wake = wakes.find((candidate) => candidate.wakeId === String(detail['wakeId']) && candidate.process === event.actor);
        if (wake) wake.handlerOpen = true;
        break;
      }
      case 'handler-end': {
        // The scenario's probe of the handler (not an annotation of the runtime): a handler that threw failed its wake.
        const wake = wakes.find((candidate) => candidate.wakeId === String(detail['wakeId']) && candidate.process === event.actor);
        if (!wake) break;
        wake.handlerOpen = false;
        if (detail['outcome'] === 'threw') wake.status = 'failed';
        // Its lease already ended: nothing of the servers' will end it now.
        if (wake.claim !== null && leaseEnded.has(wakeKey(wake.claim))) endWakes((candidate) => candidate === wake);
        break;
      }
      case 'wake-failed': {
        const wake = wakes.find((candidate) => candidate.wakeId === String(detail['wakeId']) && candidate.process === event.actor);
        if (wake) wake.status = 'failed';
        break;
      }
      case 'observe-called': {
        const wake = wakeOf(event.actor);
        if (wake && wake.handle === 'none') wake.handle = 'loading';
        break;
      }
      case 'preload-failed': {
        const wake = wakeOf(event.actor);
        if (wake && wake.handle !== 'wired' && wake.handle !== 'wired-empty') wake.handle = 'failed';
        break;
      }
      case 'handle-wired': {
        const wake = wakeOf(event.actor);
        if (wake) wake.handle = detail['empty'] === true ? 'wired-empty' : 'wired';
        break;
      }
      case 'observe-resolved': {
        const wake = wakeOf(event.actor);
        if (wake && detail['wired'] === false) wake.handle = 'unwired';
        else if (wake && wake.handle !== 'wired-empty') wake.handle = 'wired';
        break;
      }
      case 'action-performed': {
        const key = `${String(detail['entity'])} ${String(detail['action'])}`;
        postCounts.set(key, (postCounts.get(key) ?? 0) + 1);
        const occurrence = String(detail['action']).replace(/^digest:/, '');
        byOccurrence[occurrence] = (byOccurrence[occurrence] ?? 0) + 1;
        total += 1;
        break;
      }
      default:
        // A wake the servers saw granted ends when they see its claim end (a done accepted, the claim reaped): the
        // runtime saying it acked is not the server receiving the done.
        if (ANNOTATED_WAKE_END_KINDS.has(event.kind)) endWakes((wake) => wake.claim === null && wake.wakeId === String(detail['wakeId']) && wake.process === event.actor);
    }
    // A server's observation of a host's request concerns that host (with several runners, or the two processes of a
    // rolling deploy, the newest host may be another one).
    const peerName = typeof detail['peer'] === 'string' ? detail['peer'] : undefined;
    const peer = peerName === undefined ? undefined : runners.get(peerName);
    const runner = runners.get(event.actor) ?? peer ?? (newestHost === undefined ? undefined : runners.get(newestHost));
    const wake = wakeOf(event.actor) ?? (peerName === undefined ? undefined : wakeOf(peerName)) ?? wakes[wakes.length - 1];
    return {
      runner: runner ? runnerView(runner) : null,
      wake: wake ? wakeView(wake) : null,
      wakesInProgress: wakes.map(wakeView),
      posts: { total, duplicates: [...postCounts.values()].filter((count) => count > 1).length, byOccurrence: { ...byOccurrence } },
    };
  });
}

/** A runner as the columns show it: what the service served it, and the runtime's own account where it served nothing. */
function runnerView(runner: MutableRunner): RunnerView {
  const { served, annotated } = runner;
  return {
    process: runner.process,
    alive: runner.alive,
    started: served.startOffset !== null || annotated.started,
    startOffset: served.startOffset ?? annotated.startOffset,
    readOffset: served.readOffset ?? annotated.readOffset,
    wakesRead: served.startOffset !== null ? served.wakesRead : annotated.wakesRead,
    lifecycle: runner.lifecycle,
  };
}

function wakeView(wake: MutableWake): WakeView {
  return { wakeId: wake.wakeId, process: wake.process, status: wake.status, handle: wake.handle };
}

/** A wake id without the subscription prefix: `sub:digest-1/2` reads `digest-1/2`. */
export function shortWakeId(wakeId: string): string {
  // `w_000000000000000000000007` reads as `w7`.
  return wakeId.replace(/^sub:/, '').replace(/^w_0*(?=[0-9a-f])/, 'w');
}

/** The runner column: `host#2 @0_105` (last offset read, or where it started), `host#1 down`, `host#2 -` before its start. */
export function runnerCell(runner: RunnerView | null): string {
  if (!runner) return '-';
  if (!runner.alive) return `${runner.process} down`;
  if (!runner.started) return `${runner.process} -`;
  return `${runner.process} @${shortOffset(runner.readOffset ?? runner.startOffset ?? '?')}`;
}

/** The wake column: `digest-1/2`, marked `✗` once processing failed (it still awaits its ack). */
export function wakeCell(wake: WakeView | null): string {
  if (!wake) return '-';
  return wake.status === 'failed' ? `${shortWakeId(wake.wakeId)} ✗` : shortWakeId(wake.wakeId);
}

/** The handle column: whether the shared-state handle of the wake is wired. */
export function handleCell(wake: WakeView | null): string {
  if (!wake || wake.handle === 'none') return '-';
  if (wake.handle === 'unwired') return 'UNWIRED';
  if (wake.handle === 'wired-empty') return 'EMPTY';
  return wake.handle;
}

/** The posts column: posts so far, `dup` once an occurrence was posted more than once. */
export function postsCell(posts: StoryState['posts']): string {
  return posts.duplicates > 0 ? `${posts.total} dup` : String(posts.total);
}
