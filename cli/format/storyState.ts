import { shortOffset } from '../../scenarios/reportNotation.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** Whether the shared-state handle of a wake is wired, as the trace shows it. */
export type HandleState = 'none' | 'loading' | 'failed' | 'unwired' | 'wired' | 'wired-empty';

/** A host process's pull-wake runner: where it started reading its wake stream and what it has read. */
export interface RunnerView {
  readonly process: string;
  readonly alive: boolean;
  /** False until the runner registered and started reading. */
  readonly started: boolean;
  /** The offset the runner started from (`-1` reads the wake stream from the beginning). */
  readonly startOffset: string | null;
  /** The last wake offset it read, or null before its first read. */
  readonly readOffset: string | null;
  readonly wakesRead: number;
  /** Its last reported lifecycle state (`connecting`, `streaming`, ...). */
  readonly lifecycle: string | null;
}

/** A wake a host is processing. */
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
  started: boolean;
  startOffset: string | null;
  readOffset: string | null;
  wakesRead: number;
  lifecycle: string | null;
}

interface MutableWake {
  wakeId: string;
  process: string;
  status: 'running' | 'failed';
  handle: HandleState;
}

const WAKE_END_KINDS = new Set(['wake-acked', 'ack-failed', 'wake-abandoned']);

/**
 * Walks a run's events and returns, for every event, the state after it: the runner's wake-stream position, the wake
 * in progress and whether its shared-state handle is wired, and the posts so far. Derived from the trace alone.
 */
export function statesAlong(events: readonly TraceEvent[]): StoryState[] {
  const runners = new Map<string, MutableRunner>();
  let newestHost: string | undefined;
  const wakes: MutableWake[] = [];
  const postCounts = new Map<string, number>();
  const byOccurrence: Record<string, number> = {};
  let total = 0;

  return events.map((event) => {
    const detail = event.detail;
    const host = runners.get(event.actor);
    const wakeOf = (process: string): MutableWake | undefined => [...wakes].reverse().find((wake) => wake.process === process);
    switch (event.kind) {
      case 'process-start':
        runners.set(event.actor, { process: event.actor, alive: true, started: false, startOffset: null, readOffset: null, wakesRead: 0, lifecycle: null });
        newestHost = event.actor;
        break;
      case 'process-exit':
        if (host) host.alive = false;
        for (let index = wakes.length - 1; index >= 0; index -= 1) if (wakes[index]!.process === event.actor) wakes.splice(index, 1);
        break;
      case 'runner-start':
        if (host) {
          host.started = true;
          host.startOffset = String(detail['startOffset']);
        }
        break;
      case 'runner-state':
        if (host) host.lifecycle = String(detail['state']);
        break;
      case 'wake-read':
        if (host) {
          host.readOffset = String(detail['offset']);
          host.wakesRead += 1;
        }
        break;
      case 'wake-start':
        wakes.push({ wakeId: String(detail['wakeId']), process: event.actor, status: 'running', handle: 'none' });
        break;
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
        if (WAKE_END_KINDS.has(event.kind)) {
          const index = wakes.findIndex((candidate) => candidate.wakeId === String(detail['wakeId']) && candidate.process === event.actor);
          if (index >= 0) wakes.splice(index, 1);
        }
    }
    // A server's observation of a host's request concerns that host (with several runners, or the two processes of a
    // rolling deploy, the newest host may be another one).
    const peer = typeof detail['peer'] === 'string' ? runners.get(detail['peer']) : undefined;
    const runner = runners.get(event.actor) ?? peer ?? (newestHost === undefined ? undefined : runners.get(newestHost));
    const wake = wakeOf(event.actor) ?? wakes[wakes.length - 1];
    return {
      runner: runner ? { ...runner } : null,
      wake: wake ? { ...wake } : null,
      wakesInProgress: wakes.map((candidate) => ({ ...candidate })),
      posts: { total, duplicates: [...postCounts.values()].filter((count) => count > 1).length, byOccurrence: { ...byOccurrence } },
    };
  });
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
