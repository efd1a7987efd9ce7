import { AGENTS_ROUTES } from '../../protocol/agents/agentsRoutes.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { RunHistory } from '../RunHistory.ts';
import type { Violation } from '../Violation.ts';

/** A handler the scenario's probe saw return, whose wake owes a manifest commit before its done. */
interface ReturnedHandler {
  readonly process: string;
  readonly entity: string;
  readonly wakeId: string;
  readonly returnedAtMs: number;
  /** The shared DBs the handler's `observe` calls resolved with, in the order first seen. */
  readonly observed: readonly string[];
  /** A manifest commit of the entity came from the process after the handler returned (whatever became of it). */
  commitAttempted: boolean;
  /** A shared-state write or create from the process failed after the handler returned: step 4 may have thrown. */
  writeFailed: boolean;
}

/** The prefix of every shared-state route (`AGENTS_ROUTES.sharedState`, `sharedStateRows`). */
const SHARED_STATE_ROUTES = AGENTS_ROUTES.sharedState('');

/**
 * A wake whose handler returned commits its manifest rows before its done: semantics.md §1, "processWake" step 4
 * ("after a handler that returned normally: await the chain again, flush writes, commit the manifest rows"), and §2
 * ("manifest rows are committed only after a handler that returned normally"). Without the commit the next wake does not
 * restore the handle: it takes the first-wiring path again, where a swallowed preload error hands the entity an
 * unwired handle (the report's Defect B) instead of failing closed.
 *
 * Judged from the scenario's probes (`observe-resolved`: the shared DBs the entity's code observed in a wake;
 * `handler-end` with outcome `returned`) and the agents server's observations: when the server receives the wake's done
 * from the process the handler ran in (`done-received`), acking at least one stream, every DB the handler observed is
 * listed in the entity's manifest as the server stored or served it (`manifest-stored` 204, `manifest-read`), or a
 * manifest commit of the entity came from that process after the handler returned (stored, refused, turned away, or
 * dropped on the wire: a failed commit fails the wake, which is still acked). Not judged: a wake a shared-state write
 * or create of that process failed in after its handler returned (the flush of step 4 threw: the wake failed and rolls
 * its rows back, §1 step 5), a done that acks nothing (a runtime that abandoned the wake gives its claim back that
 * way), and a done the server never received (a retry of it is judged when it arrives). One violation per wake and
 * process, at its done.
 */
export function manifestCommit(history: RunHistory): Violation[] {
  /** By entity: the shared DBs its manifest lists, as the agents server stored or served them. */
  const listed = new Map<string, Set<string>>();
  /** By `<process> <wakeId>`: the DBs the wake's handler observed so far. */
  const observedIn = new Map<string, string[]>();
  /** By `<process> <done route of the wake>`, as a done's request names it. */
  const returned = new Map<string, ReturnedHandler>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    if (event.annotation) return;
    const detail = event.detail;
    switch (event.kind) {
      case 'observe-resolved': {
        const key = `${event.actor} ${String(detail['wakeId'])}`;
        const observed = observedIn.get(key) ?? [];
        const sharedId = String(detail['sharedId']);
        if (!observed.includes(sharedId)) observed.push(sharedId);
        observedIn.set(key, observed);
        return;
      }
      case 'handler-end': {
        const wakeId = String(detail['wakeId']);
        const observed = observedIn.get(`${event.actor} ${wakeId}`) ?? [];
        observedIn.delete(`${event.actor} ${wakeId}`);
        if (detail['outcome'] !== 'returned' || observed.length === 0) return;
        const handler = { process: event.actor, entity: String(detail['entity']), wakeId, returnedAtMs: event.atMs, observed, commitAttempted: false, writeFailed: false };
        returned.set(`${event.actor} ${AGENTS_ROUTES.done(wakeId)}`, handler);
        return;
      }
      case 'manifest-read':
        list(listed, String(detail['entity']), detail['sharedIds']);
        break;
      case 'manifest-stored':
        if (detail['status'] === 204) list(listed, String(detail['entity']), detail['sharedIds']);
        break;
    }
    const peer = detail['peer'];
    if (typeof peer !== 'string') return;
    const committedEntity = manifestCommitOf(event);
    const failedWrite = isFailedSharedStateWrite(event);
    if (committedEntity !== undefined || failedWrite) {
      for (const handler of returned.values()) {
        if (handler.process !== peer) continue;
        if (handler.entity === committedEntity) handler.commitAttempted = true;
        if (failedWrite) handler.writeFailed = true;
      }
      return;
    }
    if (event.kind !== 'done-received') return;
    const key = `${peer} ${AGENTS_ROUTES.done(String(detail['wakeId']))}`;
    const handler = returned.get(key);
    if (!handler) return;
    returned.delete(key);
    const acks = detail['acks'];
    if (handler.commitAttempted || handler.writeFailed || !Array.isArray(acks) || acks.length === 0) return;
    const manifest = listed.get(handler.entity);
    const missing = handler.observed.filter((sharedId) => !manifest?.has(sharedId));
    if (missing.length === 0) return;
    violations.push({
      property: 'protocol',
      message:
        `manifest not committed: the handler of wake ${handler.wakeId} returned in ${handler.process} at ${handler.returnedAtMs} ms having observed ` +
        `${missing.map((sharedId) => `"${sharedId}"`).join(', ')}, which the manifest of ${handler.entity} did not list, and its done acked its inputs at ${event.atMs} ms ` +
        `with no manifest commit from ${handler.process} before it (semantics.md §1, step 4)`,
      step: event.step,
      atMs: event.atMs,
      eventIndex,
    });
  });
  return violations;
}

function list(listed: Map<string, Set<string>>, entity: string, sharedIds: unknown): void {
  if (!Array.isArray(sharedIds)) return;
  const manifest = listed.get(entity) ?? new Set<string>();
  for (const sharedId of sharedIds) manifest.add(String(sharedId));
  listed.set(entity, manifest);
}

/** The entity whose manifest an observation shows a commit of (`POST` of `AGENTS_ROUTES.manifest`), if it shows one. */
function manifestCommitOf(event: TraceEvent): string | undefined {
  if (event.kind === 'manifest-stored') return String(event.detail['entity']);
  if ((event.kind !== 'request-refused' && event.kind !== 'fault') || event.detail['method'] !== 'POST') return undefined;
  const match = /^\/_electric\/entities\/([^/]+)\/manifest$/.exec(String(event.detail['path']));
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/**
 * Whether an observation shows a shared-state write or create that failed as its sender saw it: answered with an
 * error, turned away at the door, or struck by the network (dropped, hung, or its answer lost).
 */
function isFailedSharedStateWrite(event: TraceEvent): boolean {
  if (event.kind === 'shared-write' || event.kind === 'shared-state-created') return Number(event.detail['status']) >= 300;
  if (event.kind !== 'request-refused' && event.kind !== 'fault') return false;
  return event.detail['method'] !== 'GET' && String(event.detail['path']).startsWith(SHARED_STATE_ROUTES);
}
