import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { DigestSession } from '../../scenarios/daily-digest/DigestSession.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { ModelConfig } from '../modelConfig.ts';
import type { CheckedProperty } from './checkSlices.ts';
import { wakeLossPath } from './checkReachability.ts';
import type { CheckEvent } from './CheckState.ts';

/** Time the runtime gets after each step of a driven path: longer than a lease, shorter than a day. */
const SETTLE_MS = 40_000;
const FINAL_SETTLE_MS = 180_000;
/**
 * How long before work arrives a redeploy starts, when the path loses the work's wake event in the gap between two
 * processes: past the old runner's stop, within the new one's start (the world restarts a host after 1 s at least).
 */
const GAP_LEAD_MS = 500;

/** What driving the runtime along a model path showed. */
export interface DrivenPath {
  readonly reproduced: boolean;
  /** The environment steps taken, as commands: `message`, `next occurrence`, `arm preload failure`, `redeploy`, `crash`. */
  readonly steps: readonly string[];
}

/**
 * How the runner slice loses a wake event for good: issued between two processes, before the new runner's start (the
 * driver imitates it with a redeploy timed around the work), or by a claim the agents server could not take (which a
 * driven session cannot cause: the search may).
 */
type LossTactic = 'gap' | 'refused-claim';

/**
 * Drives the simulated runtime along the environment's part of a model path: each occurrence falling due and message
 * (and, in a path of the runner slice, each wake event: work) becomes the matching command of a
 * {@link DigestSession}, each preload failure is armed before the work that leads to it, each stop and crash is a
 * redeploy or a crash, and a wake event lost for good is a redeploy timed the way the runner slice loses it. The
 * runtime's own events are left to it (with the ordinary interleaving). Then checks whether the run shows the
 * property's violation.
 */
export async function drivePath(config: ModelConfig, property: CheckedProperty, path: readonly CheckEvent[], faults: readonly FaultKind[]): Promise<DrivenPath> {
  const occurrences = Math.max(1, path.filter((event) => event.type === 'OCCURRENCE_DUE').length);
  const session = new DigestSession(runSpecFor({ scenario: 'daily-digest', switches: { ...config } }), new RecordedChoiceSource([]), occurrences);
  const steps: string[] = [];
  const runnerPath = property === 'wake-replay';
  const isWork = (event: CheckEvent): boolean => event.type === 'OCCURRENCE_DUE' || event.type === 'MESSAGE' || (runnerPath && event.type === 'WAKE_APPENDED');
  const tactic = lossTactic(config, faults);
  await session.advance(1_000);
  const settle = (): Promise<unknown> => session.advance(Math.min(SETTLE_MS, session.msUntilNextOccurrence() - 1));
  let armed = 0;
  for (let index = 0; index < path.length; index += 1) {
    const event = path[index]!;
    if (isWork(event)) {
      // Work that arrives before the same wake is one group: the tick first (it needs time to pass), then messages.
      const group: CheckEvent[] = [];
      let end = index;
      let lost = false;
      for (; end < path.length && path[end]!.type !== 'WAKE_START' && !isRestart(path[end]!); end += 1) {
        if (isWork(path[end]!)) group.push(path[end]!);
        if (path[end]!.type === 'WAKE_LOST') lost = true;
      }
      armed = armFailuresAhead(session, path, index, armed, steps);
      const works = [...group].sort((a, b) => Number(b.type === 'OCCURRENCE_DUE') - Number(a.type === 'OCCURRENCE_DUE'));
      for (const [position, work] of works.entries()) {
        const lostHere = lost && position === 0;
        if (lostHere && tactic === 'gap') {
          steps.push('redeploy (just before the work)');
          if (work.type === 'OCCURRENCE_DUE') await session.advanceTo(session.nowMs + session.msUntilNextOccurrence() - GAP_LEAD_MS);
          session.redeploy();
          if (work.type !== 'OCCURRENCE_DUE') await session.advanceTo(session.nowMs + GAP_LEAD_MS);
        }
        if (work.type === 'OCCURRENCE_DUE') {
          steps.push('next occurrence');
          await session.untilNextOccurrence();
        } else {
          steps.push('message');
          session.sendMessage();
        }
        if (lostHere && tactic === 'refused-claim') steps.push('(a refused claim: not imitated)');
      }
      await settle();
      index = end - 1;
      continue;
    }
    if (event.type === 'STOP_REQUESTED') {
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
const isRestart = (event: CheckEvent): boolean => event.type === 'STOP_REQUESTED' || (event.type === 'PROCESS_EXIT' && event.reason === 'crash');

/** How the runner slice's shortest loss of a wake event goes under this configuration. */
function lossTactic(config: ModelConfig, faults: readonly FaultKind[]): LossTactic {
  const path = wakeLossPath(config, faults) ?? [];
  return path.some((event) => event.type === 'CLAIM_ANSWERED' && event.outcome === 'refused') ? 'refused-claim' : 'gap';
}

/**
 * Arms the preload failures the path shows for the wake that the work at `index` leads to (up to the start of the wake
 * after it), so that the runtime's next shared-state reads fail as the model's did.
 */
function armFailuresAhead(session: DigestSession, path: readonly CheckEvent[], index: number, alreadyArmed: number, steps: string[]): number {
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
