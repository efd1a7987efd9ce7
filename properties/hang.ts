import { HandlerSpans, type HandlerSpan } from './observed/handlerSpans.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * Liveness: the system stopped making progress with work pending — the step budget or the trace budget ran out (a run
 * that keeps recording without settling is cut off before it exhausts the tool's memory), one step looped in microtasks
 * without ever yielding to the scheduler (stopped where it recorded: sim/trace/stepSpin.ts), or an entity handler the
 * scenario saw start in a process still alive at the end never ended (open for longer than the hang threshold, or the
 * queue ran empty under it). Judged from the scenario's own spans of its entity code, not from the runtime's report of
 * its work. Lists what was pending.
 */
export function hang(history: RunHistory): Violation[] {
  const live = new Set(history.endState.liveHosts);
  const stuck = HandlerSpans.openAtEnd(history.events).filter(
    (span) => live.has(span.process) && (history.endedBy !== 'horizon' || history.endMs - span.startedAtMs >= history.hangAfterMs),
  );
  if (history.endedBy === 'step-budget') {
    return [violation(history, `step budget of ${history.steps} steps exhausted`, stuck, history.pendingTasks)];
  }
  if (history.endedBy === 'trace-budget') {
    const limit = history.maxTraceEvents === undefined ? '' : ` of ${history.maxTraceEvents} observations`;
    const observations = history.events.filter((event) => !event.annotation).length;
    return [violation(history, `trace budget${limit} exhausted (${observations} kept after ${history.steps} steps)`, stuck, history.pendingTasks)];
  }
  if (history.endedBy === 'spin') {
    const spin = history.events.find((event) => event.actor === 'sim' && event.kind === 'step-spin');
    const what = spin ? `step ${spin.step} recorded more than ${String(spin.detail['events'])} events without yielding to the scheduler, the last ${String(spin.detail['actor'])} ${String(spin.detail['kind'])}` : 'a step did not yield to the scheduler';
    return [violation(history, `a loop in microtasks: ${what}`, stuck, history.pendingTasks)];
  }
  if (stuck.length === 0) return [];
  const why = history.endedBy === 'idle' ? 'no task left to run' : `open for ${history.hangAfterMs} ms or more at the end`;
  return [violation(history, why, stuck, [])];
}

function violation(history: RunHistory, why: string, stuck: readonly HandlerSpan[], tasks: readonly string[]): Violation {
  const work = stuck.map((span) => `${span.process}: handler of ${span.entity} for wake ${span.wakeId} (since ${span.startedAtMs} ms)`);
  const listed = [...work, ...tasks.slice(0, 5).map((task) => `task: ${task}`)];
  return {
    property: 'hang',
    message: `hang: ${why}; pending: ${listed.length > 0 ? listed.join('; ') : 'nothing listed'}`,
    step: history.steps,
    atMs: history.endMs,
  };
}
