import { chooseInRange, type ChoiceSource } from '../../sim/choice/ChoiceSource.ts';
import type { FaultKind } from './FaultKind.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { PlatformFaultKind } from './PlatformFaults.ts';

/** A fault that happens at a moment rather than at a fault point. */
export interface TimedFault {
  readonly kind: PlatformFaultKind;
  readonly atMs: number;
}

/**
 * Draws the run's timed faults up front: for each enabled kind a count (0 first, so shrinking removes faults) and a
 * time inside the fault window for each. Drawing up front keeps these choices at the head of the story, where the
 * shrinker finds them. Kinds added later are drawn after the older ones, so a run without them draws as before.
 */
export function drawTimedFaults(
  choices: ChoiceSource,
  enabled: ReadonlySet<FaultKind>,
  options: FaultOptions,
  faultWindowMs: number,
): TimedFault[] {
  const plan: TimedFault[] = [];
  const draw = (kind: PlatformFaultKind, max: number): void => {
    if (!enabled.has(kind)) return;
    const count = choices.choose(max + 1, `${kind} count`, { kind: 'count', fault: kind });
    for (let index = 0; index < count; index += 1) {
      plan.push({ kind, atMs: chooseInRange(choices, 0, faultWindowMs, `${kind} time`, { kind: 'range', fault: kind }) });
    }
  };
  draw('redeploy', options.maxRedeploys);
  draw('crash', options.maxCrashes);
  draw('server-restart', options.maxServerRestarts);
  draw('rolling-deploy', options.maxRollingDeploys);
  draw('ds-restart', options.maxStreamsRestarts);
  draw('network-outage', options.maxNetworkOutages);
  return plan.sort((a, b) => a.atMs - b.atMs);
}
