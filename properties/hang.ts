import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** An entity handler invocation the scenario saw start and not end. */
interface OpenSpan {
  readonly process: string;
  readonly label: string;
  readonly sinceMs: number;
}

/**
 * Liveness: the system stopped making progress with work pending — the step budget or the trace budget ran out (a run
 * that keeps recording without settling is cut off before it exhausts the tool's memory), or an entity handler the
 * scenario saw start in a process still alive at the end never ended (open for longer than the hang threshold, or the
 * queue ran empty under it). Judged from the scenario's own spans of its entity code, not from the runtime's report of
 * its work. Lists what was pending.
 */
export function hang(history: RunHistory): Violation[] {
  const open = openHandlerSpans(history);
  const live = new Set(history.endState.liveHosts);
  const stuck = open.filter((span) => live.has(span.process) && (history.endedBy !== 'horizon' || history.endMs - span.sinceMs >= history.hangAfterMs));
  if (history.endedBy === 'step-budget') {
    return [violation(history, `step budget of ${history.steps} steps exhausted`, stuck, history.pendingTasks)];
  }
  if (history.endedBy === 'trace-budget') {
    const limit = history.maxTraceEvents === undefined ? '' : ` of ${history.maxTraceEvents} observations`;
    const observations = history.events.filter((event) => !event.annotation).length;
    return [violation(history, `trace budget${limit} exhausted (${observations} kept after ${history.steps} steps)`, stuck, history.pendingTasks)];
  }
  if (stuck.length === 0) return [];
  const why = history.endedBy === 'idle' ? 'no task left to run' : `open for ${history.hangAfterMs} ms or more at the end`;
  return [violation(history, why, stuck, [])];
}

function openHandlerSpans(history: RunHistory): OpenSpan[] {
  const open = new Map<string, OpenSpan>();
  for (const event of history.events) {
    if (event.annotation) continue;
    const key = `${event.actor} ${String(event.detail['wakeId'])}`;
    if (event.kind === 'handler-start') open.set(key, { process: event.actor, label: `handler of ${String(event.detail['entity'])} for wake ${String(event.detail['wakeId'])}`, sinceMs: event.atMs });
    else if (event.kind === 'handler-end') open.delete(key);
  }
  return [...open.values()];
}

function violation(history: RunHistory, why: string, stuck: readonly OpenSpan[], tasks: readonly string[]): Violation {
  const work = stuck.map((span) => `${span.process}: ${span.label} (since ${span.sinceMs} ms)`);
  const listed = [...work, ...tasks.slice(0, 5).map((task) => `task: ${task}`)];
  return {
    property: 'hang',
    message: `hang: ${why}; pending: ${listed.length > 0 ? listed.join('; ') : 'nothing listed'}`,
    step: history.steps,
    atMs: history.endMs,
  };
}
