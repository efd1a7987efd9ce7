import type { WakeStreamContext } from '../system/wakeStream.ts';
import type { CheckBudget, CheckState, CheckStep, LiveReader } from './CheckState.ts';

/** Moves the durable mark past every leading batch whose claims all settled. */
function advance(reader: LiveReader): LiveReader {
  let { mark } = reader;
  const batches = [...reader.batches];
  while (batches.length > 0 && batches[0]!.open.length === 0) mark = batches.shift()!.end;
  return { ...reader, batches, mark };
}

/** The live runtime's reads after the step: a read adds a batch; a claim answer it heard settles a wake of one. */
function followReader(budget: CheckBudget, before: CheckState, step: CheckStep, after: CheckState): LiveReader | undefined {
  let reader = budget.reader;
  const process = budget.live;
  if (!process) return undefined;
  const context = after.model.wakeStream.context as WakeStreamContext;
  for (const event of step) {
    if (event.type === 'WAKE_STREAM_READ' && event.process === process) {
      if (event.first) {
        const start = context.readers.find((candidate) => candidate.process === process)?.start ?? '-1';
        reader = { readTo: start, batches: [], mark: start, dropped: [] };
      }
      if (reader && event.offsets.length > 0) {
        reader = advance({ ...reader, readTo: event.offsets[event.offsets.length - 1]!, batches: [...reader.batches, { end: event.offsets[event.offsets.length - 1]!, open: event.offsets }] });
      }
    }
    if (event.type === 'CLAIM_ANSWERED' && event.process === process && reader) {
      const served = (before.model.wakeStream.context as WakeStreamContext).readers.find((candidate) => candidate.process === process)?.served ?? [];
      const wake = served.find((candidate) => !candidate.settled && candidate.claimedAs === undefined && !reader!.dropped.includes(candidate.offset));
      if (!wake) continue;
      const heard = step.some((other) => other.type === 'CLAIM_SETTLED');
      reader = heard
        ? advance({ ...reader, batches: reader.batches.map((batch) => ({ ...batch, open: batch.open.filter((offset) => offset !== wake.offset) })) })
        : { ...reader, dropped: [...reader.dropped, wake.offset] };
    }
  }
  return reader;
}

/** What a step uses of the environment's budget, and what it changes of the environment's state. */
/** Claims sent for the wakes a reading runtime was served; a claim's answer takes it off the wire. */
function followClaims(budget: CheckBudget, before: CheckState, step: CheckStep): readonly string[] {
  let claims = budget.claimsInFlight;
  const context = before.model.wakeStream.context as WakeStreamContext;
  for (const event of step) {
    if (event.type === 'WAKE_STREAM_READ') {
      const runner = before.model.runners.find(([process]) => process === event.process)?.[1];
      if (runner?.matches('reading') || (event.first && runner?.matches('registered'))) claims = [...claims, ...event.offsets.map((offset) => `${event.process} ${offset}`)];
    }
    if (event.type === 'CLAIM_ANSWERED') {
      const wake = context.readers.find((reader) => reader.process === event.process)?.served.find((served) => !served.settled && served.claimedAs === undefined);
      if (wake) claims = claims.filter((claim) => claim !== `${event.process} ${wake.offset}`);
    }
  }
  return claims;
}

export function spendBudget(budget: CheckBudget, before: CheckState, step: CheckStep, after: CheckState): CheckBudget {
  let next: CheckBudget = { ...budget, reader: followReader(budget, before, step, after), claimsInFlight: followClaims(budget, before, step) };
  for (const event of step) {
    switch (event.type) {
      case 'PROCESS_START':
        next = { ...next, processes: next.processes + 1, live: event.process, finalHeartbeatStored: false, reader: undefined };
        break;
      case 'PROCESS_EXIT':
        // A wake that dies with its process was never acked: its lease expires and its work is pending again.
        next = { ...next, live: undefined, reader: undefined, crashes: next.crashes + (event.reason === 'crash' ? 1 : 0), pending: next.pending || before.model.active !== undefined };
        break;
      case 'STOP_REQUESTED':
        next = { ...next, redeploys: next.redeploys + 1 };
        break;
      case 'HEARTBEAT_STORED': {
        const runner = before.model.runners.find(([process]) => process === event.process)?.[1];
        if (runner?.matches('stopping')) next = { ...next, finalHeartbeatStored: true };
        break;
      }
      case 'MESSAGE':
        next = { ...next, messages: next.messages + 1, pending: true };
        break;
      case 'OCCURRENCE_DUE':
        next = { ...next, occurrences: next.occurrences + 1, pending: true };
        break;
      case 'WAKE_ABANDONED':
        next = { ...next, pending: true };
        break;
      case 'LEASE_EXPIRED':
        // A wake whose lease ends before its ack leaves its work pending: the service issues the next wake for it.
        if (before.model.active && before.model.active.leaseEnded !== true) next = { ...next, pending: true, lostLeases: next.lostLeases + 1 };
        break;
      case 'WAKE_LOST':
        next = { ...next, pending: false, stuck: true };
        break;
      case 'WAKE_APPENDED':
        next = { ...next, wakeAppends: next.wakeAppends + 1 };
        break;
      case 'CLAIM_ANSWERED':
        if (event.outcome === 'granted') {
          const heard = step.some((other) => other.type === 'CLAIM_SETTLED');
          next = { ...next, grants: next.grants + 1, heardGrants: heard && event.wakeId ? [...next.heardGrants, event.wakeId] : next.heardGrants };
        }
        break;
      case 'WAKE_START':
        next = { ...next, wakes: next.wakes + 1, pending: false };
        break;
      case 'PRELOAD_FAILED':
        next = { ...next, preloadFailures: next.preloadFailures + 1 };
        break;
      default:
        break;
    }
  }
  return next;
}
