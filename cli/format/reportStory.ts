import type { RunResult } from '../../scenarios/runScenario.ts';
import { storyMarks } from './storyMarks.ts';

/**
 * True when a run tells the bug report's account of the duplicate digest (electric-sql/electric#4625), as its causal
 * marks (storyMarks) read the trace: an occurrence posted twice, the second time by a new process whose runner
 * started at -1 after a redeploy and re-read a wake an earlier runner had read, and whose shared-state handle in that
 * wake resolved unwired after a preload failure. Shrinking with this condition keeps every one of those steps.
 */
export function tellsTheReportStory(result: RunResult): boolean {
  const duplicate = result.violations.find((violation) => violation.property === 'duplicate-action');
  if (duplicate?.eventIndex === undefined) return false;
  // The marks of this duplicate only: a later one's (another day posted twice) would lend it steps it does not have.
  const marks = storyMarks(result.events, [duplicate], 'duplicate-action');
  const marked = (label: string): number[] => [...marks].filter(([, list]) => list.some((mark) => mark.label === label)).map(([index]) => index);
  const [secondWake] = marked('wake that posts again');
  if (secondWake === undefined) return false;
  const secondHost = result.events[secondWake]!.actor;
  const inSecondWake = (index: number): boolean => index > secondWake && index < duplicate.eventIndex! && result.events[index]!.actor === secondHost;
  const unwiredResolve = result.events.some(
    (event, index) => inSecondWake(index) && event.kind === 'observe-resolved' && event.detail['wired'] === false,
  );
  return (
    marked('restart').some((index) => result.events[index]!.detail['kind'] === 'redeploy') &&
    marked('runner starts at -1').length > 0 &&
    marked('replayed wake').length > 0 &&
    marked('preload failure').some(inSecondWake) &&
    unwiredResolve
  );
}
