import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { DigestEntityContext } from '../system/digestEntity.ts';
import type { CheckBounds, CheckState, CheckStep } from './CheckState.ts';
import { processName, serverRunnerOf, wakeOffset } from './runnerSliceSteps.ts';

export const wakeName = (index: number): string => `sub:digest-1/${index}`;

/** What the wake slice's environment can do besides the runtime's work. */
export interface WakeEnvironment {
  readonly faults: ReadonlySet<FaultKind>;
  /** The runner slice found that a wake event can be lost for good under this configuration's offset switch. */
  readonly wakesMayBeLost: boolean;
}

/**
 * Event types of steps the environment takes, not the wake: a wake that only these can move on is hung.
 */
export const ENVIRONMENT_EVENTS: ReadonlySet<string> = new Set(['OCCURRENCE_DUE', 'MESSAGE', 'PROCESS_START', 'STOP_REQUESTED', 'PROCESS_EXIT', 'WAKE_LOST', 'LEASE_EXPIRED']);

/**
 * The steps the wake slice may take next (see `CHECK_SLICES.wake`): work falling due, a wake issued and granted to the
 * live process (or issued and lost for good, where that can happen), the shared DB restored or wired (a read the service served or
 * failed, and the runtime's annotation of it), the handler's observe, check, post and record, the manifest commit, the
 * wake's end, and the host's redeploys and crashes. Payloads come from small finite domains; the model decides which
 * it accepts. A step pairs events the world and the runtime always produce back to back, which keeps the traversal
 * small without hiding an interleaving that matters.
 */
export function wakeSliceSteps(state: CheckState, bounds: CheckBounds, environment: WakeEnvironment): CheckStep[] {
  const { budget, model } = state;
  const { faults } = environment;
  const steps: CheckStep[] = [];
  const entity = model.entity.context as DigestEntityContext;
  if (budget.occurrences < bounds.occurrences) steps.push([{ type: 'OCCURRENCE_DUE', occurrence: budget.occurrences }]);
  if (budget.messages < bounds.messages) steps.push([{ type: 'MESSAGE' }]);
  const leased = model.wakeStream.matches({ lease: 'leased' });
  const idle = model.wakeStream.matches({ lease: 'idle' });
  const issue = { type: 'WAKE_APPENDED', offset: wakeOffset(budget.wakeAppends + 1) } as const;
  // A post already on the wire reaches the chat even when the process that sent it died.
  if (entity.postIntent) steps.push([{ type: 'ACTION', occurrence: entity.postIntent.occurrence }]);
  for (const slot of model.closing) steps.push([{ type: 'WAKE_ACKED', process: slot.process, wakeId: slot.wakeId }]);
  // A lease may expire under a running wake too, as often as the bounds allow: the model has no clock, and a wake may
  // outlast any lease (a wiring retry loop, a slow handler, a runtime that never renews).
  if (leased && (!model.active || budget.lostLeases < bounds.lostLeases)) steps.push([{ type: 'LEASE_EXPIRED' }]);
  if (environment.wakesMayBeLost && budget.pending && idle && !budget.stuck) steps.push([issue, { type: 'WAKE_LOST' }]);

  const process = budget.live;
  if (!process) {
    if (budget.processes < bounds.processes) steps.push([{ type: 'PROCESS_START', process: processName(budget.processes + 1) }]);
    return steps;
  }
  const stopping = serverRunnerOf(state, process)?.matches('stopping') ?? false;
  if ((!model.active || model.active.leaseEnded === true) && idle && !budget.stuck && !stopping && budget.pending && budget.wakes < bounds.wakes) {
    steps.push([issue, { type: 'LEASE_GRANTED' }, { type: 'WAKE_START', process, wakeId: wakeName(budget.wakes + 1) }]);
  }
  const active = model.active;
  if (active && active.process === process) {
    steps.push(...stepsOfWake(state, bounds, faults, process, active.wakeId, active.leaseEnded === true));
    if (leased) steps.push([{ type: 'LEASE_RELEASED' }]);
  }
  // A wake whose lease ended under it runs on beside the next one until it notices (or, never renewing, to its end).
  for (const slot of model.closing) if (slot.leaseEnded === true && slot.process === process) steps.push(...stepsOfWake(state, bounds, faults, process, slot.wakeId, true));
  if (faults.has('redeploy') && budget.redeploys < bounds.redeploys && !stopping) steps.push([{ type: 'STOP_REQUESTED', process }]);
  // A graceful stop drains the wakes in flight before the process exits.
  if (stopping && !active) steps.push([{ type: 'PROCESS_EXIT', process, reason: 'graceful' }]);
  if (faults.has('crash') && budget.crashes < bounds.crashes) steps.push([{ type: 'PROCESS_EXIT', process, reason: 'crash' }]);
  return steps;
}

/**
 * The steps of one wake of the live process: the shared DB restored or wired, the handler's observe, check, post and
 * record, the manifest commit and the wake's end (with a failed ack when its lease ended under it). Events that name no
 * wake are routed by the composed model (the running handler's wake first, then the wake doing work, then a lingering
 * one), so a lingering wake's steps are offered the same way as the active one's.
 */
function stepsOfWake(state: CheckState, bounds: CheckBounds, faults: ReadonlySet<FaultKind>, process: string, wakeId: string, leaseEnded: boolean): CheckStep[] {
  const { budget } = state;
  const steps: CheckStep[] = [];
  const preloadFaults = (faults.has('preload-not-found') || faults.has('preload-foreign-item')) && budget.preloadFailures < bounds.preloadFailures;
  for (const restored of [false, true]) {
    steps.push([{ type: 'SHARED_READ', process, ok: true }, { type: 'HANDLE_WIRED', process, restored, empty: false }]);
    if (preloadFaults) steps.push([{ type: 'SHARED_READ', process, ok: false }, { type: 'PRELOAD_FAILED', process, restored }]);
    steps.push([{ type: 'HANDLE_WIRED', process, restored, empty: true }]);
    steps.push([{ type: 'HANDLER_START', process, wakeId }, { type: 'OBSERVE', process, created: !restored }]);
    steps.push([{ type: 'OBSERVE_RESOLVED', process, wired: restored }]);
  }
  steps.push([{ type: 'WIRING_FAILED', process }]);
  for (let occurrence = 0; occurrence < Math.max(budget.occurrences, 1); occurrence += 1) {
    for (const verdict of ['posted', 'not-posted', 'unknown'] as const) steps.push([{ type: 'CHECK', process, occurrence, verdict }]);
    steps.push([{ type: 'OCCURRENCE_STORED', occurrence }, { type: 'RECORDED', process, occurrence }]);
    // A row stored just before its process died: the process never heard.
    if (faults.has('crash')) steps.push([{ type: 'OCCURRENCE_STORED', occurrence }]);
  }
  for (const outcome of ['returned', 'threw'] as const) steps.push([{ type: 'HANDLER_END', process, wakeId, outcome }]);
  steps.push([{ type: 'MANIFEST_STORED' }, { type: 'MANIFEST_COMMITTED', process }]);
  if (faults.has('crash')) steps.push([{ type: 'MANIFEST_STORED' }]);
  steps.push([{ type: 'WAKE_FAILED', process, wakeId }], [{ type: 'WAKE_ABANDONED', process, wakeId }]);
  // The done of a wake whose lease ended under it is refused: the wake ends with its ack failed.
  if (leaseEnded) steps.push([{ type: 'WAKE_ACK_FAILED', process, wakeId }]);
  return steps;
}
