import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { PropertyName, Violation } from '../../properties/index.ts';

/** Why an event is marked in a story: it shows a violation, or it is a step that led to one. */
export interface StoryMark {
  readonly kind: 'violation' | 'cause';
  /** The violated property, or a short name of the causal step (`first post`, `preload failure`, ...). */
  readonly label: string;
}

/** Fault kinds that restart something. */
const RESTART_FAULTS = new Set(['redeploy', 'crash', 'server-restart']);
/** Events that end a wake in a host. */
const WAKE_END_KINDS = new Set(['wake-acked', 'ack-failed', 'wake-abandoned']);

/**
 * Marks the events of a run that matter to its violations: each violating event, and the causal steps before it,
 * derived from the trace by following the violation back — for a duplicate post, the first post, the wake that lost
 * its record, the preload failure and the unwired resolve behind a wrong idempotency check, the restarts in between,
 * a replayed wake; for an unwired resolve, the fault and the preload failure; for a wake replay, the earlier read of
 * the same wake and the restart in between; for a missed action, the occurrence falling due and why each wake after
 * it did not post. With `focus`, only the violations of that property are followed back (a report about one violation
 * highlights its causes, not another's); every violating event is still marked. Keys are event indexes; marks keep
 * the order they were found in.
 */
export function storyMarks(events: readonly TraceEvent[], violations: readonly Violation[], focus?: PropertyName): Map<number, StoryMark[]> {
  const marks = new Map<number, StoryMark[]>();
  const add = (index: number | undefined, mark: StoryMark): void => {
    if (index === undefined || index < 0) return;
    const list = marks.get(index) ?? [];
    if (list.some((existing) => existing.label === mark.label)) return;
    marks.set(index, [...list, mark]);
  };
  const cause = (index: number | undefined, label: string): void => add(index, { kind: 'cause', label });

  for (const violation of violations) {
    if (violation.eventIndex === undefined) continue;
    add(violation.eventIndex, { kind: 'violation', label: violation.property });
  }
  const finder = new TraceFinder(events);
  for (const violation of violations) {
    if (focus !== undefined && violation.property !== focus) continue;
    if (violation.property === 'missed-action') finder.explainMissed(cause);
    const at = violation.eventIndex;
    if (at === undefined) continue;
    if (violation.property === 'duplicate-action') finder.explainDuplicate(at, cause);
    else if (violation.property === 'unwired-resolve') finder.explainWiring(events[at]!.actor, finder.wakeStartBefore(at, events[at]!.actor), at, cause);
    else if (violation.property === 'wake-replay') finder.explainReplay(at, cause);
  }

  // A causal label that only repeats the violation the same event shows adds nothing.
  for (const [index, list] of marks) {
    const shown = new Set(list.filter((mark) => mark.kind === 'violation').map((mark) => mark.label.replace(/-/g, ' ')));
    marks.set(
      index,
      list.filter((mark) => mark.kind === 'violation' || !shown.has(mark.label)),
    );
  }
  // Violations first, then causes.
  for (const [index, list] of marks) marks.set(index, [...list.filter((mark) => mark.kind === 'violation'), ...list.filter((mark) => mark.kind === 'cause')]);
  return marks;
}

type Cause = (index: number | undefined, label: string) => void;

/** Searches of one run's events, by index. */
class TraceFinder {
  constructor(private readonly events: readonly TraceEvent[]) {}

  /** Last index in [from, to] matching, or undefined. */
  lastIn(from: number, to: number, test: (event: TraceEvent) => boolean): number | undefined {
    for (let index = Math.min(to, this.events.length - 1); index >= Math.max(from, 0); index -= 1) if (test(this.events[index]!)) return index;
    return undefined;
  }

  /** First index in [from, to] matching, or undefined. */
  firstIn(from: number, to: number, test: (event: TraceEvent) => boolean): number | undefined {
    for (let index = Math.max(from, 0); index <= Math.min(to, this.events.length - 1); index += 1) if (test(this.events[index]!)) return index;
    return undefined;
  }

  /** The `wake-start` of the wake `process` was running at `index`. */
  wakeStartBefore(index: number, process: string): number | undefined {
    const start = this.lastIn(0, index, (event) => event.actor === process && event.kind === 'wake-start');
    if (start === undefined) return undefined;
    const wakeId = this.events[start]!.detail['wakeId'];
    const ended = this.firstIn(start + 1, index - 1, (event) => event.actor === process && WAKE_END_KINDS.has(event.kind) && event.detail['wakeId'] === wakeId);
    return ended === undefined ? start : undefined;
  }

  /** Index of the event that ends the wake started at `start` (its ack, or its process exiting), or the last event. */
  wakeEnd(start: number): number {
    const begin = this.events[start]!;
    const end = this.firstIn(
      start + 1,
      this.events.length - 1,
      (event) =>
        event.actor === begin.actor && ((WAKE_END_KINDS.has(event.kind) && event.detail['wakeId'] === begin.detail['wakeId']) || event.kind === 'process-exit'),
    );
    return end ?? this.events.length - 1;
  }

  /**
   * Why the wake of `process` started at `start` saw no (or a wrong) shared state by `until`: the unwired resolve, the
   * preload failure behind it and the fault that caused that, the swallowed wiring error.
   */
  explainWiring(process: string, start: number | undefined, until: number, cause: Cause): void {
    if (start === undefined) return;
    const unwired = this.lastIn(start, until, (event) => event.actor === process && event.kind === 'observe-resolved' && event.detail['wired'] === false);
    const empty = this.lastIn(start, until, (event) => event.actor === process && event.kind === 'handle-wired' && event.detail['empty'] === true);
    if (unwired === undefined && empty === undefined) return;
    const shown = unwired ?? empty!;
    cause(unwired, 'unwired resolve');
    cause(empty, 'wired empty');
    const failed = this.lastIn(start, shown, (event) => event.actor === process && event.kind === 'preload-failed');
    if (failed === undefined) return;
    cause(failed, 'preload failure');
    cause(
      this.lastIn(start, failed, (event) => event.kind === 'fault' && event.detail['reader'] === process),
      'injected fault',
    );
    cause(
      this.firstIn(failed, shown, (event) => event.actor === process && event.kind === 'wiring-failed'),
      'wiring error swallowed',
    );
  }

  /** The same entity and occurrence posted twice at `second`. */
  explainDuplicate(second: number, cause: Cause): void {
    const post = this.events[second]!;
    const samePost = (event: TraceEvent): boolean =>
      event.kind === 'action-performed' && event.detail['entity'] === post.detail['entity'] && event.detail['action'] === post.detail['action'];
    const first = this.firstIn(0, second - 1, samePost);
    if (first === undefined) return;
    cause(first, 'first post');
    const firstHost = String(this.events[first]!.detail['peer']);
    const secondHost = String(post.detail['peer']);

    // The wake of the first post: why its check let it post, and how its record was lost.
    const firstWake = this.wakeStartBefore(first, firstHost);
    if (firstWake !== undefined) {
      this.explainWiring(firstHost, firstWake, first, cause);
      const end = this.wakeEnd(firstWake);
      const recorded = this.firstIn(first, end, (event) => event.actor === firstHost && event.kind === 'recorded' && `digest:${String(event.detail['occurrence'])}` === post.detail['action']);
      if (recorded === undefined) {
        const failed = this.firstIn(first, end, (event) => event.actor === firstHost && event.kind === 'wake-failed');
        cause(failed, 'record rolled back');
        const exited = this.firstIn(first, end, (event) => event.actor === firstHost && event.kind === 'process-exit');
        cause(exited, 'exit before record');
      }
    }

    // Restarts from the first post's wake on (a redeploy's SIGTERM may come before the post, which the drain lets
    // finish) to the second post.
    for (let index = (firstWake ?? first) + 1; index < second; index += 1) {
      const event = this.events[index]!;
      if (event.kind === 'fault' && RESTART_FAULTS.has(String(event.detail['kind']))) cause(index, 'restart');
      if (secondHost !== firstHost && event.actor === secondHost && event.kind === 'process-start') cause(index, 'new process');
      if (secondHost !== firstHost && event.actor === secondHost && event.kind === 'runner-start') cause(index, `runner starts at ${String(event.detail['startOffset'])}`);
    }

    // The wake that posted again: how it was delivered, and why its check said "not posted".
    const secondWake = this.wakeStartBefore(second, secondHost);
    if (secondWake === undefined) return;
    cause(secondWake, 'wake that posts again');
    const read = this.readThatDispatched(secondWake, secondHost);
    if (read !== undefined && this.wasServedToAnother(read)) cause(read, 'replayed wake');
    this.explainWiring(secondHost, secondWake, second, cause);
    cause(
      this.lastIn(secondWake, second, (event) => event.actor === secondHost && event.kind === 'idempotency-check'),
      'check misses first post',
    );
  }

  /**
   * Occurrences that fell due (`cron-tick`) and were never posted: the tick, and for every wake after it why it did
   * not post — the fault and preload failure that failed it, a check that said "posted", the process exiting, the
   * failed wake acked; with no wake at all, the claims that did not dispatch one.
   */
  explainMissed(cause: Cause): void {
    const posted = new Set(this.events.filter((event) => event.kind === 'action-performed').map((event) => String(event.detail['action'])));
    this.events.forEach((tick, tickIndex) => {
      if (tick.kind !== 'cron-tick' || posted.has(`digest:${String(tick.detail['tick'])}`)) return;
      cause(tickIndex, 'occurrence due, never posted');
      let wakes = 0;
      for (let start = tickIndex + 1; start < this.events.length; start += 1) {
        if (this.events[start]!.kind !== 'wake-start') continue;
        wakes += 1;
        this.explainWakeWithoutPost(start, cause);
      }
      if (wakes > 0) return;
      for (let index = tickIndex + 1; index < this.events.length; index += 1) {
        const event = this.events[index]!;
        if (event.kind === 'claim-settled' && event.detail['outcome'] !== 'dispatched') cause(index, `claim: ${String(event.detail['outcome'])}`);
        if (event.kind === 'claim-failed') cause(index, 'claim failed');
      }
    });
  }

  /** Why the wake started at `start` ended without a post. */
  private explainWakeWithoutPost(start: number, cause: Cause): void {
    const host = this.events[start]!.actor;
    const end = this.wakeEnd(start);
    cause(start, 'wake that should post');
    const failed = this.firstIn(start, end, (event) => event.actor === host && event.kind === 'wake-failed');
    const preload = this.lastIn(start, failed ?? end, (event) => event.actor === host && event.kind === 'preload-failed');
    cause(preload, 'preload failure');
    if (preload !== undefined) cause(this.lastIn(start, preload, (event) => event.kind === 'fault' && event.detail['reader'] === host), 'injected fault');
    this.explainWiring(host, start, failed ?? end, cause);
    const check = this.firstIn(start, end, (event) => event.actor === host && event.kind === 'idempotency-check' && event.detail['verdict'] !== 'not-posted');
    cause(check, `check says ${String(this.events[check ?? start]!.detail['verdict'])}`);
    cause(failed, 'wake fails');
    const endEvent = this.events[end]!;
    if (endEvent.kind === 'process-exit' && endEvent.actor === host) cause(end, 'exit mid-wake');
    if (endEvent.kind === 'wake-acked' && endEvent.detail['outcome'] === 'failed') cause(end, 'acked as failed');
  }

  /**
   * A later runner was served, at `replay` (the service's `stream-read`), a wake an earlier runner had processed: the
   * earlier read of it, the claim and done that processed it, and the restart in between.
   */
  explainReplay(replay: number, cause: Cause): void {
    const read = this.events[replay]!;
    const reader = servedTo(read);
    for (const wake of servedWakes(read)) {
      const earlier = this.firstIn(0, replay - 1, (event) => servedTo(event) !== undefined && servedTo(event) !== reader && serves(event, wake));
      if (earlier === undefined) continue;
      const earlierHost = servedTo(this.events[earlier]!)!;
      cause(earlier, 'first read of this wake');
      const claim = this.firstIn(earlier, replay, (event) => event.kind === 'claim-answered' && event.detail['peer'] === earlierHost && event.detail['subscription'] === wake.subscription);
      const done =
        claim === undefined
          ? undefined
          : this.firstIn(claim, replay, (event) => event.kind === 'done-received' && event.detail['peer'] === earlierHost && event.detail['wakeId'] === this.events[claim]!.detail['wakeId']);
      cause(done ?? claim, 'processed');
      for (let index = earlier + 1; index < replay; index += 1) {
        const event = this.events[index]!;
        if (event.kind === 'fault' && RESTART_FAULTS.has(String(event.detail['kind']))) cause(index, 'restart');
        if (event.actor === reader && event.kind === 'runner-start') cause(index, `runner starts at ${String(event.detail['startOffset'])}`);
      }
      return;
    }
  }

  /**
   * The wake-stream read that led to the wake started at `start`: the agents server granted that wake to a claim of
   * its subscription, and a claim follows a read that served a wake of the subscription — possibly an older
   * generation (a replayed one, say), since the server answers a claim with the subscription's current wake. Found from
   * the servers' observations; without a granted claim in the trace, none.
   */
  private readThatDispatched(start: number, host: string): number | undefined {
    const wakeId = this.events[start]!.detail['wakeId'];
    const claim = this.lastIn(0, start, (event) => event.kind === 'claim-answered' && event.detail['peer'] === host && event.detail['wakeId'] === wakeId);
    if (claim === undefined) return undefined;
    const subscription = this.events[claim]!.detail['subscription'];
    return this.lastIn(0, claim, (event) => servedTo(event) === host && servedWakes(event).some((wake) => wake.subscription === subscription));
  }

  /** True when another process was served one of the wakes of the read at `index` before it. */
  private wasServedToAnother(index: number): boolean {
    const read = this.events[index]!;
    const reader = servedTo(read);
    return servedWakes(read).some(
      (wake) => this.firstIn(0, index - 1, (event) => servedTo(event) !== undefined && servedTo(event) !== reader && serves(event, wake)) !== undefined,
    );
  }
}

/** A wake named by subscription and generation; an undefined subscription matches any. */
interface WakeName {
  readonly subscription: unknown;
  readonly generation: unknown;
}

/** The process a read of a wake stream was served to (the service's `stream-read`), or undefined for other events. */
function servedTo(event: TraceEvent): string | undefined {
  return event.kind === 'stream-read' && !event.annotation && Array.isArray(event.detail['wakes']) ? String(event.detail['peer']) : undefined;
}

/** The wakes a `stream-read` served. */
function servedWakes(event: TraceEvent): WakeName[] {
  const wakes = event.detail['wakes'];
  return Array.isArray(wakes) ? wakes.map((wake) => ({ subscription: (wake as Record<string, unknown>)['subscription'], generation: (wake as Record<string, unknown>)['generation'] })) : [];
}

/** True when the read `event` served `wake`. */
function serves(event: TraceEvent, wake: WakeName): boolean {
  return servedWakes(event).some((served) => (wake.subscription === undefined || served.subscription === wake.subscription) && served.generation === wake.generation);
}

