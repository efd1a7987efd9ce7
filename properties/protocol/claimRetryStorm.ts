import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';
import { agentsRouteOf } from '../observed/agentsRoute.ts';
import { RUNTIME_RULES } from './runtimeRules.ts';

const WINDOW_MS = 1_000;

/**
 * Claim retries that back off: one runner process does not keep sending more than
 * {@link RUNTIME_RULES.failedClaimsPerEntityPerSecondMax} failed claims a second for one runner, per entity the agents
 * server provisioned on that runner so far (each entity's subscription may be retrying on its own), for two seconds in
 * a row. Sustained, because one burst is no retry: a runner that reads a backlog of wake events claims each of them at
 * once (0.4.x from `-1`), and while the server is down all of them fail within milliseconds. Judged at the agents
 * server: a claim turned away at the door (the server down, or a fault at its door) or answered 5xx is a failure the
 * runner saw. One violation per process and runner, at the claim that completes the second second.
 */
export function claimRetryStorm(history: RunHistory): Violation[] {
  const entitiesByRunner = new Map<string, number>();
  /** Per process and runner: arrival times of its failed claims within the last window. */
  const recent = new Map<string, number[]>();
  const flagged = new Set<string>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation || event.actor !== 'agents-server') return;
    const detail = event.detail;
    if (event.kind === 'entity-created') {
      const runner = String(detail['runner']);
      entitiesByRunner.set(runner, (entitiesByRunner.get(runner) ?? 0) + 1);
      return;
    }
    const runner = failedClaimRunner(event.kind, detail);
    if (runner === undefined) return;
    const peer = String(detail['peer']);
    const key = `${peer} ${runner}`;
    if (flagged.has(key)) return;
    const arrivals = (recent.get(key) ?? []).filter((atMs) => atMs > event.atMs - 2 * WINDOW_MS);
    arrivals.push(event.atMs);
    recent.set(key, arrivals);
    const entities = Math.max(1, entitiesByRunner.get(runner) ?? 0);
    const allowed = RUNTIME_RULES.failedClaimsPerEntityPerSecondMax * entities;
    const lastSecond = arrivals.filter((atMs) => atMs > event.atMs - WINDOW_MS).length;
    const secondBefore = arrivals.length - lastSecond;
    if (lastSecond <= allowed || secondBefore <= allowed) return;
    flagged.add(key);
    violations.push({
      property: 'protocol',
      message: `claim retries: ${peer} sent ${secondBefore} and then ${lastSecond} failed claims for ${runner} in two seconds in a row (at most ${allowed} a second for its ${entities} ${entities === 1 ? 'entity' : 'entities'}: a retry that does not back off)`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}

/** The runner a failed claim was for, when the observation is one: turned away at the door, or answered 5xx. */
function failedClaimRunner(kind: string, detail: TraceEvent['detail']): string | undefined {
  if (kind === 'claim-answered') return Number(detail['status']) >= 500 ? String(detail['runner']) : undefined;
  if (kind !== 'request-refused') return undefined;
  const route = agentsRouteOf(String(detail['path']));
  return route?.route === 'claim' ? route.runner : undefined;
}
