import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import type { ModelConfig } from '../modelConfig.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { DigestSession } from '../../scenarios/daily-digest/DigestSession.ts';
import type { ModelEvent } from '../modelEvents.ts';
import type { CheckedProperty } from './candidateEvents.ts';

/** Time the runtime gets after each step of a driven path: longer than a lease, shorter than a day. */
const SETTLE_MS = 40_000;
const FINAL_SETTLE_MS = 180_000;

/** What driving the runtime along a model path showed. */
export interface DrivenPath {
  readonly reproduced: boolean;
  /** The environment steps taken, as commands: `message`, `next occurrence`, `arm preload failure`, `redeploy`, `crash`. */
  readonly steps: readonly string[];
}

/**
 * Drives the simulated runtime along the environment's part of a model path: each occurrence falling due, message and
 * wake event becomes the matching command of a {@link DigestSession}, each preload failure is armed before the work
 * that leads to it, each stop and crash is a redeploy or a crash. The runtime's own events are left to it (with the
 * ordinary interleaving). Then checks whether the run shows the property's violation.
 */
export async function drivePath(config: ModelConfig, property: CheckedProperty, path: readonly ModelEvent[]): Promise<DrivenPath> {
  const occurrences = Math.max(1, path.filter((event) => event.type === 'OCCURRENCE_DUE').length);
  const session = new DigestSession(runSpecFor({ scenario: 'daily-digest', switches: { ...config } }), new RecordedChoiceSource([]), occurrences);
  const steps: string[] = [];
  await session.advance(1_000);
  const settle = (): Promise<unknown> => session.advance(Math.min(SETTLE_MS, session.msUntilNextOccurrence() - 1));
  let armed = 0;
  for (let index = 0; index < path.length; index += 1) {
    const event = path[index]!;
    if (isWork(event)) {
      // Work that arrives before the same wake is one group: the tick first (it needs time to pass), then messages.
      const group: ModelEvent[] = [];
      let end = index;
      for (; end < path.length && path[end]!.type !== 'WAKE_START' && !isRestart(path[end]!); end += 1) if (isWork(path[end]!)) group.push(path[end]!);
      armed = armFailuresAhead(session, path, index, armed, steps);
      for (const work of [...group].sort((a, b) => Number(b.type === 'OCCURRENCE_DUE') - Number(a.type === 'OCCURRENCE_DUE'))) {
        if (work.type === 'OCCURRENCE_DUE') {
          steps.push('next occurrence');
          await session.untilNextOccurrence();
        } else {
          steps.push('message');
          session.sendMessage();
        }
      }
      await settle();
      index = end - 1;
      continue;
    }
    if (event.type === 'RUNNER_STATE' && event.state === 'stopping') {
      steps.push('redeploy');
      session.redeploy();
      await settle();
    } else if (isRestart(event)) {
      steps.push('crash');
      session.crash();
      await settle();
    }
  }
  while (await session.untilNextOccurrence()) await settle();
  await session.advance(FINAL_SETTLE_MS);
  return { reproduced: showsViolation(session, property), steps };
}

/** A redeploy or a crash of the host. */
const isRestart = (event: ModelEvent): boolean =>
  (event.type === 'RUNNER_STATE' && event.state === 'stopping') || (event.type === 'PROCESS_EXIT' && event.reason === 'crash');

/** Events that bring work for a wake: an occurrence falling due, a message, a wake event appended. */
const isWork = (event: ModelEvent): boolean => event.type === 'OCCURRENCE_DUE' || event.type === 'MESSAGE' || event.type === 'WAKE_APPENDED';

/**
 * Arms the preload failures the path shows for the wake that the work at `index` leads to (up to the start of the wake
 * after it), so that the runtime's next shared-state reads fail as the model's did.
 */
function armFailuresAhead(session: DigestSession, path: readonly ModelEvent[], index: number, alreadyArmed: number, steps: string[]): number {
  let armed = alreadyArmed;
  let ordinal = path.slice(0, index).filter((event) => event.type === 'PRELOAD_FAILED').length;
  let wakesStarted = 0;
  for (let position = index + 1; position < path.length; position += 1) {
    const event = path[position]!;
    if (event.type === 'WAKE_START') wakesStarted += 1;
    if (wakesStarted > 1) break;
    if (event.type !== 'PRELOAD_FAILED') continue;
    ordinal += 1;
    if (ordinal <= armed) continue;
    session.armPreloadFailure('preload-not-found');
    steps.push('arm preload failure');
    armed = ordinal;
  }
  return armed;
}

function showsViolation(session: DigestSession, property: CheckedProperty): boolean {
  switch (property) {
    case 'missed-action': {
      const posts = session.posts();
      const due = session.events.filter((event) => event.kind === 'cron-tick').map((event) => Number(event.detail['tick']));
      return due.some((occurrence) => (posts.get(occurrence) ?? 0) === 0);
    }
    case 'hang':
      return session.openHandlers().length > 0;
    default:
      return session.model.violations.has(property);
  }
}
