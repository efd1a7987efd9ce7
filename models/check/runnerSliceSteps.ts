import type { AnyMachineSnapshot } from 'xstate';
import { formatOffset } from '../../world/durable-streams/offsets.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { ModelEvent } from '../modelEvents.ts';
import { expectedStarts, type ServerRunnerContext } from '../system/serverRunner.ts';
import type { Reader, WakeStreamContext } from '../system/wakeStream.ts';
import type { CheckBounds, CheckState, CheckStep, LiveReader } from './CheckState.ts';

export const processName = (index: number): string => `host#${index}`;
export const wakeOffset = (index: number): string => formatOffset(index * 100);
export const grantedWakeId = (index: number): string => `w${index}`;

/** The wake stream model's context in a check state. */
export const wakeStreamOf = (state: CheckState): WakeStreamContext => state.model.wakeStream.context as WakeStreamContext;

/** The servers' view of a process's runner in a check state. */
export const serverRunnerOf = (state: CheckState, process: string): AnyMachineSnapshot | undefined => state.model.runners.find(([name]) => name === process)?.[1];

/** The wake event of the outstanding wake nobody claimed yet (the service issues one wake at a time), if any. */
export function issuedWake(state: CheckState): string | undefined {
  const context = wakeStreamOf(state);
  return state.model.wakeStream.matches({ lease: 'issued' }) ? context.appended[context.appended.length - 1] : undefined;
}

/** Where the wake stream model has a process read to: its last served wake, or its start. */
const positionOf = (reader: Reader): string => reader.served[reader.served.length - 1]?.offset ?? reader.start;

/** Appended wakes a reader at `position` has not been served yet. */
const unreadAfter = (context: WakeStreamContext, position: string): string[] => context.appended.filter((offset) => position === '-1' || offset > position);

/**
 * Whether a process's claims and dones can still reach the agents server: until a process started after it registers.
 * The world restarts a host a second at least after the old one ended (`hostRestartDelayMinMs`), and a message spends
 * at most 41 ms on the network (`network`, world/faults/FaultOptions.ts): what the old process sent has arrived by then.
 * (A read the service holds open is different: a crashed process's can be served later, to no effect on anyone.)
 */
function stillOnTheWire(state: CheckState, process: string): boolean {
  const started = state.model.runners.map(([name]) => name);
  return started.slice(started.indexOf(process) + 1).every((later) => serverRunnerOf(state, later)?.matches('unregistered') ?? true);
}

/** A read serves the next wake, or every wake not served yet (one batch): the two shapes a durable mark can tell apart. */
function readShapes(unread: readonly string[]): Array<readonly string[]> {
  if (unread.length === 0) return [[]];
  return unread.length === 1 ? [[unread[0]!]] : [[unread[0]!], unread];
}

/**
 * What the live process's runtime reports on a heartbeat, as the v0.4 runtime computes it: with `offset=durable` its
 * settled low-water mark, otherwise the raw read offset.
 */
export function reportedOffset(offsetMode: string | undefined, reader: LiveReader): string {
  return offsetMode === 'durable' ? reader.mark : reader.readTo;
}

/**
 * The steps the runner slice may take next (see `CHECK_SLICES.runner`). Payloads come from small finite domains; the
 * model decides which it accepts. Where the servers' answers depend on state the model keeps elsewhere, the steps
 * follow the reference server: a claim is granted when a wake is issued and nobody holds it, skipped otherwise (204
 * with nothing pending, 409 while another claim holds it).
 * Where what a runtime sends is its own business (the offset a heartbeat carries, the final heartbeat of a stop), the
 * steps follow the v0.4 runtime.
 */
export function runnerSliceSteps(state: CheckState, bounds: CheckBounds, faults: ReadonlySet<FaultKind>): CheckStep[] {
  const { budget } = state;
  const context = wakeStreamOf(state);
  const leased = state.model.wakeStream.matches({ lease: 'leased' });
  const steps: CheckStep[] = [];
  // Work arrives on a linked stream: the service issues a wake (one at a time).
  if (state.model.wakeStream.matches({ lease: 'idle' }) && budget.wakeAppends < bounds.wakeAppends) steps.push([{ type: 'WAKE_APPENDED', offset: wakeOffset(budget.wakeAppends + 1) }]);
  steps.push(...claimAnswers(state, faults));
  for (const reader of context.readers) {
    if (!stillOnTheWire(state, reader.process)) continue;
    for (const wake of reader.served) {
      if (wake.claimedAs !== undefined && !wake.settled && leased && budget.heardGrants.includes(wake.claimedAs)) {
        steps.push([{ type: 'DONE_RECEIVED', process: reader.process, wakeId: wake.claimedAs, applied: true, nextWake: false }, { type: 'LEASE_RELEASED' }]);
      }
    }
  }
  // A lease that expires leaves its work pending: the service appends a wake event for it again.
  if (leased && budget.wakeAppends < bounds.wakeAppends) steps.push([{ type: 'LEASE_EXPIRED' }, { type: 'WAKE_APPENDED', offset: wakeOffset(budget.wakeAppends + 1) }]);

  const process = budget.live;
  if (!process) {
    if (budget.processes < bounds.processes) steps.push([{ type: 'PROCESS_START', process: processName(budget.processes + 1) }]);
    return steps;
  }
  const runner = serverRunnerOf(state, process)!;
  if (runner.matches('unregistered')) {
    for (const resumeOffset of [null, '-1', ...context.appended]) steps.push([{ type: 'REGISTERED', process, resumeOffset }]);
  }
  if (runner.matches('registered')) {
    for (const from of expectedStarts(runner.context as ServerRunnerContext)) {
      const start = from === 'now' ? (context.appended[context.appended.length - 1] ?? '-1') : from;
      for (const offsets of readShapes(unreadAfter(context, start))) steps.push([{ type: 'WAKE_STREAM_READ', process, from, first: true, offsets }]);
    }
  }
  const reader = context.readers.find((candidate) => candidate.process === process);
  if (runner.matches('reading') && reader) {
    const unread = unreadAfter(context, positionOf(reader));
    if (unread.length > 0) for (const offsets of readShapes(unread)) steps.push([{ type: 'WAKE_STREAM_READ', process, from: positionOf(reader), first: false, offsets }]);
  }
  const live = budget.reader;
  if (live && (runner.matches('reading') || runner.matches('stopping'))) {
    const offset = reportedOffset((runner.context as ServerRunnerContext).offsetMode, live);
    if (offset !== context.diagnostics || (runner.matches('stopping') && !budget.finalHeartbeatStored)) steps.push([{ type: 'HEARTBEAT_STORED', process, offset }]);
  }
  if (faults.has('redeploy') && budget.redeploys < bounds.redeploys && !runner.matches('stopping')) steps.push([{ type: 'STOP_REQUESTED', process }]);
  // A graceful stop sends a final heartbeat; it can fail only when heartbeats can.
  const heartbeatsMayFail = faults.has('heartbeat-failure') || faults.has('server-restart');
  if (runner.matches('stopping') && (budget.finalHeartbeatStored || heartbeatsMayFail || !live)) steps.push([{ type: 'PROCESS_EXIT', process, reason: 'graceful' }]);
  if (faults.has('crash') && budget.crashes < bounds.crashes) steps.push([{ type: 'PROCESS_EXIT', process, reason: 'crash' }]);
  return steps;
}

/**
 * Answers to the claim of each process's oldest served wake no claim answered yet (a process that died or is stopping
 * still has its claims on the wire). A runtime that is reading hears the answer (the `claim-settled` annotation marks
 * it) or not yet (a stop will abort it); a claim the agents server cannot take (down) drops the wake for that runtime.
 */
function claimAnswers(state: CheckState, faults: ReadonlySet<FaultKind>): CheckStep[] {
  const context = wakeStreamOf(state);
  const pending = issuedWake(state) !== undefined;
  const steps: CheckStep[] = [];
  for (const reader of context.readers) {
    const wake = reader.served.find((candidate) => !candidate.settled && candidate.claimedAs === undefined);
    if (!wake || state.budget.reader?.dropped.includes(wake.offset) || !stillOnTheWire(state, reader.process)) continue;
    const process = reader.process;
    // The v0.4 runtime hears a claim's answer only while it reads: a stop aborts every claim in flight at once.
    const hears = process === state.budget.live && (serverRunnerOf(state, process)?.matches('reading') ?? false);
    const heard = (outcome: 'dispatched' | 'skipped'): ModelEvent => ({ type: 'CLAIM_SETTLED', process, offset: wake.offset, dispatched: outcome === 'dispatched' });
    if (pending) {
      const granted: ModelEvent[] = [{ type: 'LEASE_GRANTED' }, { type: 'CLAIM_ANSWERED', process, outcome: 'granted', wakeId: grantedWakeId(state.budget.grants + 1) }];
      steps.push(granted);
      if (hears) steps.push([...granted, heard('dispatched')]);
    } else {
      const skipped: ModelEvent = { type: 'CLAIM_ANSWERED', process, outcome: 'skipped', wakeId: null };
      steps.push([skipped]);
      if (hears) steps.push([skipped, heard('skipped')]);
    }
    if (faults.has('server-restart') && process === state.budget.live) steps.push([{ type: 'CLAIM_ANSWERED', process, outcome: 'refused', wakeId: null }]);
  }
  return steps;
}
