import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { Violation } from '../../properties/index.ts';
import type { StoryMark } from './storyMarks.ts';
import { formatVirtualTime, reportText, shortOffset } from '../../scenarios/reportNotation.ts';
import { shortWakeId } from './storyState.ts';
import type { TimelineRow } from './timeline.ts';
import { acksAppliedText, claimAnswerText, doneReceivedText } from './exchangeTexts.ts';
import { runtimeAccounts, type RuntimeAccounts } from './runtimeAccounts.ts';

/** A lifeline of the sequence diagram. */
export interface Participant {
  /** Identifier safe for Mermaid (`host1`, `streams`, ...). */
  readonly id: string;
  /** What the diagram shows (`host#1 runner`, `durable streams`, ...). */
  readonly label: string;
}

/** How a message is drawn: a call, an answer, a fire-and-forget (faults), a failure. */
export type ArrowStyle = 'call' | 'reply' | 'async' | 'fail';

/** One step of the story as a sequence diagram shows it. */
export type SequenceItem =
  | {
      readonly kind: 'message';
      readonly from: string;
      readonly to: string;
      readonly style: ArrowStyle;
      readonly text: string;
      readonly atMs: number;
      readonly step: number;
      readonly marks: readonly StoryMark[];
    }
  | { readonly kind: 'note'; readonly over: readonly string[]; readonly text: string; readonly atMs: number; readonly step: number; readonly marks: readonly StoryMark[] }
  | { readonly kind: 'violation'; readonly over: readonly string[]; readonly property: string; readonly text: string };

/** The story as a sequence diagram: its lifelines, in order, and its items. */
export interface SequenceStory {
  readonly participants: readonly Participant[];
  readonly items: readonly SequenceItem[];
}

const FIXED_PARTICIPANTS: Record<string, Participant> = {
  cron: { id: 'cron', label: 'cron / workload' },
  agents: { id: 'agents', label: 'agents server' },
  streams: { id: 'streams', label: 'durable streams' },
  chat: { id: 'chat', label: 'chat service' },
  faults: { id: 'faults', label: 'faults' },
};

/** The participant id of an actor: `host#2` is `host2` (`runner-2/host#1` is `runner2host1`); cron and workload share one lifeline, so do the fault injectors. */
export function participantOf(actor: string): string {
  const host = /^host#(\d+)$/.exec(actor);
  if (host) return `host${host[1]}`;
  // A runner's host process in a world of several runners: `runner-2/host#1` is `runner2host1`.
  const runnerHost = /^runner-(\d+)\/host#(\d+)$/.exec(actor);
  if (runnerHost) return `runner${runnerHost[1]}host${runnerHost[2]}`;
  if (actor === 'workload' || actor === 'cron') return 'cron';
  if (actor === 'agents-server') return 'agents';
  if (actor === 'durable-streams') return 'streams';
  if (actor === 'chat') return 'chat';
  if (actor === 'supervisor' || actor === 'faults') return 'faults';
  return actor.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * Turns timeline rows into a sequence diagram: claims, reads, preload failures, posts, manifest commits, acks and
 * restarts as messages between host processes, the agents server, durable streams, the chat service, cron and the
 * fault injector; lifecycle steps as notes; each violation as a note after the event that shows it (a liveness
 * violation at the end). Routine events (runner connecting, leases) are left out unless marked. Claims, dones and the
 * acks they apply are drawn from the servers' observations, so a runtime that annotates nothing has them too; a
 * runtime's own account of one (`claim-settled`, `wake-acked`, ...) adds its outcome to that arrow instead of drawing a
 * second. `events` are the run's (the acks of a done are not rows of the story); without them, the rows'.
 */
export function sequenceStory(rows: readonly TimelineRow[], violations: readonly Violation[], events?: readonly TraceEvent[]): SequenceStory {
  const items: SequenceItem[] = [];
  // Without the run's events, those of the rows at their indices: enough to pair what the rows show.
  const allEvents = events ?? rowEvents(rows);
  const accounts = runtimeAccounts(allEvents);
  const drawnRows = new Set(rows.map((row) => row.index));
  const violationsAt = new Map<number, Violation[]>();
  for (const violation of violations) {
    if (violation.eventIndex !== undefined) violationsAt.set(violation.eventIndex, [...(violationsAt.get(violation.eventIndex) ?? []), violation]);
  }
  const hosts: string[] = [];
  for (const row of rows) {
    const { event } = row;
    if (event.kind === 'process-start' && !hosts.includes(event.actor)) hosts.push(event.actor);
    const newestHost = hosts[hosts.length - 1];
    const exchange = exchangeItem(row, accounts, allEvents);
    const item = exchange === null ? undefined : (exchange ?? itemFor(event, row.marks, newestHost));
    if (item) items.push(item);
    // The acks a done caused, drawn after it (the service records them first, while the server handles the done);
    // one the story marks is drawn in its own row.
    for (const applied of accounts.acksOf.get(row.index) ?? []) {
      if (!drawnRows.has(applied)) items.push(acksItem(allEvents[applied]!, []));
    }
    for (const violation of violationsAt.get(row.index) ?? []) {
      const over = item ? (item.kind === 'message' ? [item.from, item.to] : item.over) : [participantOf(event.actor)];
      items.push({ kind: 'violation', over: [...new Set(over)], property: violation.property, text: reportText(violation.message) });
    }
  }
  for (const violation of violations) {
    if (violation.eventIndex !== undefined) continue;
    items.push({ kind: 'violation', over: [], property: violation.property, text: `${reportText(violation.message)} (at ${formatVirtualTime(violation.atMs)})` });
  }

  const used = new Set<string>();
  for (const item of items) {
    if (item.kind === 'message') {
      used.add(item.from);
      used.add(item.to);
    } else item.over.forEach((id) => used.add(id));
  }
  const hostParticipants = hosts.map((host) => ({ id: participantOf(host), label: `${host} runner` }));
  const ordered: Participant[] = [
    FIXED_PARTICIPANTS['cron']!,
    FIXED_PARTICIPANTS['agents']!,
    FIXED_PARTICIPANTS['streams']!,
    ...hostParticipants,
    FIXED_PARTICIPANTS['chat']!,
    FIXED_PARTICIPANTS['faults']!,
  ];
  const known = new Set(ordered.map((participant) => participant.id));
  const others = [...used].filter((id) => !known.has(id)).sort().map((id) => ({ id, label: id }));
  const participants = [...ordered, ...others];
  // Liveness violations span the whole diagram.
  const all = [participants[0]!.id, participants[participants.length - 1]!.id];
  return {
    participants,
    items: items.map((item) => (item.kind === 'violation' && item.over.length === 0 ? { ...item, over: all } : item)),
  };
}

/** The events of the rows, each at its index in the run. */
function rowEvents(rows: readonly TimelineRow[]): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const row of rows) events[row.index] = row.event;
  return events;
}

/**
 * The item of a claim, done or ack the servers observed, with the runtime's account of it added (runtimeAccounts):
 * drawn for any runtime, annotated or not. The account's own row draws nothing more — a note when the story marks it,
 * so every highlighted row keeps its place. Undefined for other rows.
 */
function exchangeItem(row: TimelineRow, accounts: RuntimeAccounts, events: readonly TraceEvent[]): SequenceItem | undefined | null {
  const { event, marks } = row;
  const at = { atMs: event.atMs, step: event.step, marks };
  if (accounts.absorbed.has(row.index)) {
    const drawn = itemFor(event, marks, undefined);
    return marks.length > 0 && drawn?.kind === 'message' ? { kind: 'note', over: [participantOf(event.actor)], text: drawn.text, ...at } : null;
  }
  if (event.annotation) return undefined;
  const accountIndex = accounts.accountOf.get(row.index);
  const account = accountIndex === undefined ? undefined : events[accountIndex];
  const peer = participantOf(String(event.detail['peer']));
  if (event.kind === 'claim-answered') {
    const { text, failed } = claimAnswerText(event, account);
    return { kind: 'message', from: 'agents', to: peer, style: failed ? 'fail' : 'reply', text, ...at };
  }
  if (event.kind === 'done-received') {
    const { text, failed } = doneReceivedText(event, account);
    return { kind: 'message', from: peer, to: 'agents', style: failed ? 'fail' : 'call', text, ...at };
  }
  if (event.kind === 'acks-applied') return acksItem(event, marks);
  return undefined;
}

/** The acks the Durable Streams service applied for a done the agents server passed on. */
function acksItem(event: TraceEvent, marks: readonly StoryMark[]): SequenceItem {
  return { kind: 'message', from: 'agents', to: 'streams', style: 'call', text: acksAppliedText(event), atMs: event.atMs, step: event.step, marks };
}

function itemFor(event: TraceEvent, marks: readonly StoryMark[], newestHost: string | undefined): SequenceItem | undefined {
  const d = event.detail;
  const at = { atMs: event.atMs, step: event.step, marks };
  const self = participantOf(event.actor);
  const message = (from: string, to: string, style: ArrowStyle, text: string): SequenceItem => ({ kind: 'message', from, to, style, text, ...at });
  const note = (over: string, text: string): SequenceItem => ({ kind: 'note', over: [over], text, ...at });
  const str = (key: string): string => String(d[key]);
  const offset = (key: string): string => shortOffset(str(key));
  const host = newestHost === undefined ? 'agents' : participantOf(newestHost);
  switch (event.kind) {
    case 'workload': {
      const messages = Array.isArray(d['messagesAtMs']) ? d['messagesAtMs'].length : 0;
      const faults = Array.isArray(d['faults']) && d['faults'].length > 0 ? `, ${d['faults'].length} planned fault(s)` : '';
      return { kind: 'note', over: ['cron', 'agents'], text: `plan: ${str('occurrences')} occurrence(s), ${messages} message(s)${faults}`, ...at };
    }
    case 'process-start':
      return note(self, `${event.actor} starts`);
    case 'process-exit':
      return note(self, `${event.actor} exits (${str('reason')}${d['cause'] === undefined ? '' : `: ${str('cause')}`})`);
    case 'fault': {
      const kind = str('kind');
      if (kind === 'redeploy' || kind === 'crash') return message('faults', participantOf(str('host')), 'async', kind);
      if (kind === 'preload-not-found' || kind === 'preload-foreign-item') return message('faults', 'streams', 'async', `${kind} on ${str('stream')}`);
      if (kind === 'server-restart') return message('faults', 'agents', 'async', `server restart (down ${str('downtimeMs')} ms)`);
      return message('faults', self === 'faults' ? 'agents' : self, 'async', kind);
    }
    case 'fault-skipped':
      return note('faults', `${str('kind')} skipped: ${str('reason')}`);
    case 'quiet-period':
      return note('faults', 'quiet period: no more faults');
    case 'server-down':
      return note('agents', `server down for ${str('downtimeMs')} ms`);
    case 'server-up':
      return note('agents', 'server up');
    case 'runner-registered':
      // To the process that registered (with several runners, the newest host may be another runner's).
      return message('agents', typeof d['peer'] === 'string' ? participantOf(d['peer']) : host, 'reply', `registered, resume offset: ${d['resumeOffset'] === null ? 'none' : offset('resumeOffset')}`);
    case 'runner-start':
      return note(self, `runner reads wake stream from ${offset('startOffset')}`);
    case 'runner-state':
      if (marks.length === 0 && str('state') !== 'reconnecting') return undefined;
      return note(self, `runner ${str('state')}`);
    case 'cron-tick':
      return message('cron', 'agents', 'call', `tick ${str('tick')}: occurrence due`);
    case 'message':
      return message('cron', 'agents', 'call', `message ${str('index')} for ${str('entity')}`);
    case 'wake-appended':
      return message('agents', 'streams', 'call', `append wake gen ${str('generation')} at ${offset('offset')}`);
    case 'wake-unannounced':
      return note('streams', `wake gen ${str('generation')} issued, no wake event (done answers next_wake)`);
    case 'wake-read':
      return message('streams', self, 'reply', `read wake gen ${str('generation')} at ${offset('offset')}`);
    case 'lease-granted':
      if (marks.length === 0) return undefined;
      return note('streams', `lease granted gen ${str('generation')}`);
    case 'claim-settled':
      return message('agents', self, 'reply', `claim gen ${str('generation')}: ${str('outcome')}`);
    case 'claim-failed':
      return message('agents', self, 'fail', `claim gen ${str('generation')} failed: ${str('error')}`);
    case 'claim-aborted':
      return note(self, `claim gen ${str('generation')} aborted`);
    case 'claim-dispatched-during-stop':
      return note(self, `claim gen ${str('generation')} answered after SIGTERM: dispatched`);
    case 'wake-start':
      return note(self, `wake ${shortWakeId(str('wakeId'))} starts`);
    case 'observe-called':
      return message(self, 'streams', 'call', d['created'] === true ? `observe db(${str('sharedId')}): preload` : `observe db(${str('sharedId')}): existing handle`);
    case 'preload-failed':
      return message('streams', self, 'fail', `preload fails: ${str('error')}`);
    case 'wiring-failed':
      return note(self, `wiring fails: ${str('code')}`);
    case 'handle-wired':
      return message('streams', self, 'reply', d['empty'] === true ? 'preload error read as EMPTY' : `preload done, handle wired${d['restored'] === true ? ' (restored)' : ''}`);
    case 'observe-resolved':
      return note(self, d['wired'] === false ? 'observe() resolves UNWIRED' : 'observe() resolves wired');
    case 'idempotency-check':
      return note(self, `posted occurrence ${str('occurrence')}? ${str('verdict')}`);
    case 'action-performed':
      return message(participantOf(str('peer')), 'chat', 'call', `post ${str('action')}`);
    case 'recorded':
      return message(self, 'streams', 'call', `record occurrence ${str('occurrence')}`);
    case 'manifest-committed':
      return message(self, 'agents', 'call', `commit manifest ${Array.isArray(d['sharedIds']) ? d['sharedIds'].join(', ') : ''}`);
    case 'wake-failed':
      return note(self, `wake ${shortWakeId(str('wakeId'))} fails: ${str('error')}`);
    case 'wake-acked':
      return message(self, 'agents', 'call', `ack ${shortWakeId(str('wakeId'))} (${str('outcome')})`);
    case 'ack-failed':
      return message(self, 'agents', 'fail', `ack ${shortWakeId(str('wakeId'))} failed`);
    case 'wake-abandoned':
      return note(self, `wake ${shortWakeId(str('wakeId'))} abandoned`);
    case 'heartbeat':
      return message(self, 'agents', d['ok'] === true ? 'call' : 'fail', d['ok'] === true ? 'heartbeat' : `heartbeat failed`);
    // What the servers observed of requests the diagram draws through the runtime's own events, and their bookkeeping:
    // left out, unless the story marks one as a step towards the violation; then it is drawn as the server saw it, so
    // every highlighted row of the timeline has its place in the diagram too.
    case 'heartbeat-received':
    case 'occurrence-stored':
    case 'manifest-stored':
    case 'manifest-read':
    case 'stream-read':
    case 'renew-received':
    case 'shared-write':
    case 'lease-extended':
    case 'handler-start':
    case 'handler-end':
    case 'sigterm':
      return marks.length === 0 ? undefined : observedExchange(event, at, host);
    case 'lease-ended':
      if (marks.length === 0 && d['reason'] !== 'expired') return undefined;
      return note('streams', `lease ${str('reason')} gen ${str('generation')}`);
    case 'step':
    case 'run-start':
    case 'run-end':
      return undefined;
    default:
      return note(self, event.kind);
  }
}

/**
 * A marked observation of the world (a server's view of a request) or a marked runtime step the diagram otherwise
 * leaves out: an answer from the server to the process that asked, or a note over the process.
 */
function observedExchange(event: TraceEvent, at: { atMs: number; step: number; marks: readonly StoryMark[] }, newestHost: string): SequenceItem {
  const d = event.detail;
  const self = participantOf(event.actor);
  const peer = typeof d['peer'] === 'string' ? participantOf(d['peer']) : newestHost;
  const status = d['status'] === undefined ? '' : ` (${String(d['status'])})`;
  const reply = (text: string): SequenceItem => ({ kind: 'message', from: self, to: peer, style: 'reply', text: `${text}${status}`, ...at });
  switch (event.kind) {
    case 'stream-read':
      return reply(`serves ${String(d['stream'])} from ${shortOffset(String(d['offset']))}`);
    case 'handler-start':
    case 'handler-end':
    case 'sigterm':
      return { kind: 'note', over: [self], text: event.kind, ...at };
    default:
      return self === peer ? { kind: 'note', over: [self], text: event.kind, ...at } : reply(event.kind);
  }
}
