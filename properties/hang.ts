import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/**
 * Liveness: the system stopped making progress with work pending — the step budget ran out, the queue emptied with
 * work in flight, or work has been open for longer than the hang threshold at the end. Lists what was pending.
 */
export function hang(history: RunHistory): Violation[] {
  const stuck = history.pendingWork.filter(
    (work) => history.endedBy !== 'horizon' || history.endMs - work.sinceMs >= history.hangAfterMs,
  );
  if (history.endedBy === 'step-budget') {
    return [violation(history, `step budget of ${history.steps} steps exhausted`, stuck, history.pendingTasks)];
  }
  if (stuck.length === 0) return [];
  const why = history.endedBy === 'idle' ? 'no task left to run' : `open for ${history.hangAfterMs} ms or more at the end`;
  return [violation(history, why, stuck, [])];
}

function violation(history: RunHistory, why: string, stuck: RunHistory['pendingWork'], tasks: readonly string[]): Violation {
  const work = stuck.map((item) => `${item.actor}: ${item.label} (since ${item.sinceMs} ms)`);
  const listed = [...work, ...tasks.slice(0, 5).map((task) => `task: ${task}`)];
  return {
    property: 'hang',
    message: `hang: ${why}; pending: ${listed.length > 0 ? listed.join('; ') : 'nothing listed'}`,
    step: history.steps,
    atMs: history.endMs,
  };
}
