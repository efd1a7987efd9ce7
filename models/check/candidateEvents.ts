import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { formatOffset } from '../../world/durable-streams/offsets.ts';
import type { ModelEvent, ReportedRunnerState } from '../modelEvents.ts';
import type { WakeStreamContext } from '../wakeStream.ts';
import type { CheckBounds, CheckState } from './CheckState.ts';

/**
 * The properties model checking looks for: the three the models judge with violation states; `missed-action`, judged
 * on quiescent states (no work pending, no wake running, a due occurrence never posted); and `hang`, a wake that no
 * accepted event can move on.
 */
export const CHECKED_PROPERTIES = ['unwired-resolve', 'duplicate-action', 'wake-replay', 'missed-action', 'hang'] as const;
export type CheckedProperty = (typeof CHECKED_PROPERTIES)[number];

export const processName = (index: number): string => `host#${index}`;
export const wakeOffset = (index: number): string => formatOffset(index * 100);
export const wakeName = (index: number): string => `sub:digest-1/${index}`;

/**
 * The events the environment and the runtime may produce next, for one property's part of the composed model: the
 * wake path (wiring chain and entity) for `unwired-resolve` and `duplicate-action`, the runners and the wake stream
 * for `wake-replay`. Payloads come from small finite domains; the model decides which of them it accepts. Where the
 * model is looser than the runtime (how a runner reports its offset; a wake needs pending work: an occurrence or a
 * message since the last wake), the candidates follow the runtime.
 */
export function candidateEvents(property: CheckedProperty, state: CheckState, bounds: CheckBounds, faults: ReadonlySet<FaultKind>): ModelEvent[] {
  return property === 'wake-replay' ? runnerCandidates(state, bounds, faults) : wakeCandidates(property, state, bounds, faults);
}

function wakeCandidates(property: CheckedProperty, state: CheckState, bounds: CheckBounds, faults: ReadonlySet<FaultKind>): ModelEvent[] {
  const { budget, model } = state;
  const events: ModelEvent[] = [];
  const process = budget.live;
  if (!process) {
    if (budget.processes < bounds.processes) events.push({ type: 'PROCESS_START', process: processName(budget.processes + 1) });
    return events;
  }
  const entityMatters = property === 'duplicate-action' || property === 'missed-action' || property === 'hang';
  if (entityMatters && budget.occurrences < bounds.occurrences) events.push({ type: 'OCCURRENCE_DUE', occurrence: budget.occurrences });
  if (budget.messages < bounds.messages) events.push({ type: 'MESSAGE' });
  // A wake runs under a lease: grant, start, and release once the wake has done its work (its ack reached the server).
  const leased = model.wakeStream.matches({ lease: 'leased' });
  if (!model.active && !leased && budget.pending && budget.wakes < bounds.wakes) events.push({ type: 'LEASE_GRANTED' });
  // The service wakes an entity only for work that arrived since its last wake.
  if (!model.active && leased && budget.pending && budget.wakes < bounds.wakes) events.push({ type: 'WAKE_START', process, wakeId: wakeName(budget.wakes + 1) });
  if (model.active && leased) events.push({ type: 'LEASE_RELEASED' });
  const preloadFaults = (faults.has('preload-not-found') || faults.has('preload-foreign-item')) && budget.preloadFailures < bounds.preloadFailures;
  for (const flag of [false, true]) {
    events.push({ type: 'OBSERVE', process, created: flag }, { type: 'OBSERVE_RESOLVED', process, wired: flag });
    if (preloadFaults) events.push({ type: 'PRELOAD_FAILED', process, restored: flag });
    for (const empty of [false, true]) events.push({ type: 'HANDLE_WIRED', process, restored: flag, empty });
  }
  events.push({ type: 'WIRING_FAILED', process }, { type: 'MANIFEST_COMMITTED', process });
  if (model.active) {
    const wakeId = model.active.wakeId;
    events.push({ type: 'WAKE_FAILED', process, wakeId }, { type: 'WAKE_ABANDONED', process, wakeId }, { type: 'WAKE_ACKED', process, wakeId });
  }
  for (const slot of model.closing) events.push({ type: 'WAKE_ACKED', process: slot.process, wakeId: slot.wakeId });
  // The entity's check, post and record matter to what the entity does; leaving them out keeps the other searches small.
  for (let occurrence = 0; entityMatters && occurrence < Math.max(budget.occurrences, 1); occurrence += 1) {
    for (const verdict of ['posted', 'not-posted', 'unknown'] as const) events.push({ type: 'CHECK', process, occurrence, verdict });
    events.push({ type: 'ACTION', occurrence }, { type: 'RECORDED', process, occurrence });
  }
  if (faults.has('crash') && budget.crashes < bounds.crashes) events.push({ type: 'PROCESS_EXIT', process, reason: 'crash' });
  return events;
}

function runnerCandidates(state: CheckState, bounds: CheckBounds, faults: ReadonlySet<FaultKind>): ModelEvent[] {
  const { budget, model } = state;
  const events: ModelEvent[] = [];
  if (budget.wakeAppends < bounds.wakeAppends) events.push({ type: 'WAKE_APPENDED', offset: wakeOffset(budget.wakeAppends + 1) });
  const process = budget.live;
  if (!process) {
    if (budget.processes < bounds.processes) events.push({ type: 'PROCESS_START', process: processName(budget.processes + 1) });
    return events;
  }
  const offsets = Array.from({ length: budget.wakeAppends }, (_, index) => wakeOffset(index + 1));
  const runner = model.runners.find(([name]) => name === process)?.[1];
  const registering = runner?.matches('registering') ?? false;
  // A host registers once, before its runner starts; the model checks what the answer may contain.
  if (registering && (model.wakeStream.context as WakeStreamContext).lastResume === undefined) {
    for (const resumeOffset of [null, '-1', ...offsets]) events.push({ type: 'REGISTERED', resumeOffset });
  }
  events.push(
    { type: 'RUNNER_START', process, start: 'beginning', startOffset: '-1', registered: false },
    { type: 'RUNNER_START', process, start: 'beginning', startOffset: '-1', registered: true },
    { type: 'RUNNER_START', process, start: 'tail', startOffset: 'now', registered: false },
    ...offsets.map((startOffset): ModelEvent => ({ type: 'RUNNER_START', process, start: 'registered', startOffset, registered: true })),
  );
  const states: ReportedRunnerState[] = ['connecting', 'streaming'];
  if (faults.has('redeploy') && budget.redeploys < bounds.redeploys) states.push('stopping');
  if (budget.finalHeartbeatStored) states.push('stopped');
  for (const runnerState of states) events.push({ type: 'RUNNER_STATE', process, state: runnerState });
  for (const offset of offsets) {
    events.push({ type: 'WAKE_READ', process, offset }, { type: 'CLAIM_SETTLED', process, offset, dispatched: true });
  }
  const reported = reportedOffset(model.wakeStream.context as WakeStreamContext, process);
  if (reported !== undefined) events.push({ type: 'HEARTBEAT_STORED', offset: reported });
  events.push({ type: 'PROCESS_EXIT', process, reason: 'graceful' });
  if (faults.has('crash') && budget.crashes < bounds.crashes) events.push({ type: 'PROCESS_EXIT', process, reason: 'crash' });
  return events;
}

/**
 * What the live runner's heartbeat carries, as the runtime computes it: with `offset=durable` the end of its settled
 * prefix (or where it started), otherwise its last read offset (or where it started).
 */
function reportedOffset(context: WakeStreamContext, process: string): string | undefined {
  const reader = context.readers.find((candidate) => candidate.process === process);
  if (!reader) return undefined;
  if (context.offsetMode === 'durable') {
    let mark = reader.start;
    for (const read of reader.reads) {
      if (!read.settled) break;
      mark = read.offset;
    }
    return mark;
  }
  return reader.reads[reader.reads.length - 1]?.offset ?? reader.start;
}
