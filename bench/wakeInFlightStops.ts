import type { TraceEvent } from '../sim/trace/Trace.ts';

/** Which deploy sent a SIGTERM. */
export type DeployKind = 'redeploy' | 'rolling-deploy';

/** A SIGTERM the platform sent to a process while the agents server had a wake of that process in flight. */
export interface StopDuringWake {
  readonly process: string;
  readonly wakeId: string;
  readonly deploy: DeployKind;
  readonly atMs: number;
}

/**
 * The SIGTERMs of deploys that reached a host process while a wake it claimed was in flight, as the world saw it: the
 * agents server granted the claim (`claim-answered` 200 to that process) and neither its done (`done-received`) nor
 * the end of its lease (`lease-ended`) had come yet. Read from the world's observations alone, so it counts what
 * happened to any runtime, whatever set the deploy off (a uniform time or a fault point).
 */
export function stopsDuringWakes(events: readonly TraceEvent[]): StopDuringWake[] {
  const inFlight = new Map<string, { readonly process: string; readonly lease: string }>();
  const deployOf = new Map<string, DeployKind>();
  const found: StopDuringWake[] = [];
  for (const event of events) {
    if (event.annotation) continue;
    const detail = event.detail;
    if (event.kind === 'claim-answered' && detail['status'] === 200) {
      inFlight.set(String(detail['wakeId']), { process: String(detail['peer']), lease: `${String(detail['subscription'])}#${String(detail['generation'])}` });
    } else if (event.kind === 'done-received') {
      inFlight.delete(String(detail['wakeId']));
    } else if (event.kind === 'lease-ended') {
      const lease = `${String(detail['subscription'])}#${String(detail['generation'])}`;
      for (const [wakeId, wake] of inFlight) if (wake.lease === lease) inFlight.delete(wakeId);
    } else if (event.kind === 'fault' && event.actor === 'supervisor' && (detail['kind'] === 'redeploy' || detail['kind'] === 'rolling-deploy')) {
      deployOf.set(String(detail['host']), detail['kind']);
    } else if (event.kind === 'sigterm') {
      const deploy = deployOf.get(event.actor);
      const wake = [...inFlight].find(([, candidate]) => candidate.process === event.actor);
      if (deploy && wake) found.push({ process: event.actor, wakeId: wake[0], deploy, atMs: event.atMs });
    }
  }
  return found;
}
