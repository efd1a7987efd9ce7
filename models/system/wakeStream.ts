import { assign, setup } from 'xstate';
import type { OffsetMode, ResumeSource } from '../modelConfig.ts';
import type { SystemEvent } from './systemEvents.ts';

/** The events the wake stream model follows. */
export type WakeStreamEvent = Extract<
  SystemEvent,
  {
    type:
      | 'WAKE_APPENDED'
      | 'WAKE_UNANNOUNCED'
      | 'LEASE_GRANTED'
      | 'LEASE_RELEASED'
      | 'LEASE_EXPIRED'
      | 'WAKE_DROPPED'
      | 'REGISTERED'
      | 'HEARTBEAT_STORED'
      | 'WAKE_STREAM_READ'
      | 'CLAIM_ANSWERED'
      | 'DONE_RECEIVED';
  }
>;

/** One wake the service served a reader. */
export interface ServedWake {
  readonly offset: string;
  /** The reader is done with it: a claim skipped it, or a claim granted it and its done was applied. */
  readonly settled: boolean;
  /** The wake id of the claim granted for it, until its done settles it. */
  readonly claimedAs: string | undefined;
}

/** A process reading the runner's wake stream, as the service saw it. */
export interface Reader {
  readonly process: string;
  /** Where its first read started: `-1`, or the offset it asked for (for `now`, the tail at that moment). */
  readonly start: string;
  readonly served: readonly ServedWake[];
  /** The reader was already served a replay (a violation is reported once per reader). */
  readonly replayed: boolean;
  /**
   * What other readers had processed when this one began (it registered, or else read first): the history behind it.
   * Only a wake at or before it is a replay; what others handle later while this one reads on (a rolling deploy) is not.
   */
  readonly processedAtStart: string | undefined;
}

export interface WakeStreamInput {
  /** What the runner reports on heartbeats is checked only where the mode defines it (`durable`: a wake's offset). */
  readonly offsetMode: OffsetMode | undefined;
  /** Where registration takes the resume offset from (the world's `resume-offset` switch). */
  readonly resumeSource: ResumeSource;
}

export interface WakeStreamContext extends WakeStreamInput {
  /** Offsets of the wake events appended to the runner's wake stream, in order. */
  readonly appended: readonly string[];
  /** Every process that read the wake stream, in the order of their first reads. */
  readonly readers: readonly Reader[];
  /** The offset the agents server stored from the last heartbeat it received (its diagnostics table). */
  readonly diagnostics: string | undefined;
  /**
   * What other readers had processed when each process registered (null: nothing yet), the moment it learnt where to
   * start; a process that never registers is judged from its first read.
   */
  readonly registeredMarks: Readonly<Record<string, string | null>>;
  /** The last wake event appended is still outstanding (not ended by a done, a release or an expiry). */
  readonly outstanding: boolean;
  /** The outstanding wake's lease is held (a claim was granted and has not ended). */
  readonly leased: boolean;
  /**
   * The outstanding wake has no wake event (`pending-wake=answer-only`: a done issued it, and only its answer told the
   * runner): every appended event is then of a wake that ended.
   */
  readonly unannounced: boolean;
  /**
   * Processes whose done was answered `next_wake: true` and that have not had a claim answered since: under
   * `next-wake=claim` such a process claims the next wake on the answer, which may be granted before it reads that
   * wake's event (or, with `pending-wake=answer-only`, with no event at all).
   */
  readonly toldNextWake: readonly string[];
}

/**
 * The end of the longest prefix of wake events that need no more work (what `resume-offset=acked-seek` returns): every
 * wake event but an outstanding last one; `-1` when there is none.
 */
export function settledPrefixEnd(context: WakeStreamContext): string {
  const settled = context.outstanding && !context.unannounced ? context.appended.slice(0, -1) : context.appended;
  return settled[settled.length - 1] ?? '-1';
}

/**
 * The end of the longest prefix of wake events that were all claimed (what `resume-offset=claimed-seek` returns): every
 * wake event but an outstanding last one nobody holds; `-1` when there is none.
 */
export function claimedPrefixEnd(context: WakeStreamContext): string {
  const claimed = context.outstanding && !context.leased && !context.unannounced ? context.appended.slice(0, -1) : context.appended;
  return claimed[claimed.length - 1] ?? '-1';
}

type Guarded = { context: WakeStreamContext; event: WakeStreamEvent };

const readerOf = (context: WakeStreamContext, process: string): Reader | undefined => context.readers.find((reader) => reader.process === process);

/** Where a first read from `from` starts: `now` is the tail when it was read. */
const startOf = (context: WakeStreamContext, from: string): string => (from === 'now' ? (context.appended[context.appended.length - 1] ?? '-1') : from);

/**
 * The service serves a reader only appended wakes, in order, each after the offset the read asked for (for a first read
 * from `now`, the tail). A process may be served a wake again: when the answer to a read was lost on the wire, the
 * runner asks again from where it was, and the service cannot know. A read that is not the process's first needs its
 * first one.
 */
function servesAppendedWakes({ context, event }: Guarded): boolean {
  if (event.type !== 'WAKE_STREAM_READ') return false;
  const reader = readerOf(context, event.process);
  if (event.first === (reader !== undefined)) return false;
  let last = event.first ? startOf(context, event.from) : event.from;
  for (const offset of event.offsets) {
    if (!context.appended.includes(offset) || (last !== '-1' && offset <= last)) return false;
    last = offset;
  }
  return true;
}

/** Highest offset another reader had processed: the end of its longest prefix of settled wakes. */
export function processedByOthers(context: WakeStreamContext, process: string): string | undefined {
  let mark: string | undefined;
  for (const reader of context.readers) {
    if (reader.process === process) continue;
    for (const wake of reader.served) {
      if (!wake.settled) break;
      if (mark === undefined || wake.offset > mark) mark = wake.offset;
    }
  }
  return mark;
}

/** What others had processed when `process` began: when it registered, or else now (its first read). */
function processedAtStartOf(context: WakeStreamContext, process: string): string | undefined {
  return Object.hasOwn(context.registeredMarks, process) ? (context.registeredMarks[process] ?? undefined) : processedByOthers(context, process);
}

/** The oldest wake served to the process that no claim answered yet: the one a claim answer is for. */
const unansweredIndex = (reader: Reader | undefined): number => reader?.served.findIndex((wake) => !wake.settled && wake.claimedAs === undefined) ?? -1;

/** The oldest wake served to the process whose granted claim has not ended with done: the one a new grant replaces. */
const regrantedIndex = (reader: Reader | undefined): number => reader?.served.findIndex((wake) => !wake.settled && wake.claimedAs !== undefined) ?? -1;

function withReader(context: WakeStreamContext, process: string, change: (reader: Reader) => Reader): readonly Reader[] {
  return context.readers.map((reader) => (reader.process === process ? change(reader) : reader));
}

/** A read that serves a replay enters the violation state (again, for each process); any other read is recorded. */
const READS = {
  WAKE_STREAM_READ: [
    { guard: 'isReplay', target: 'replayed', reenter: true, actions: ['recordRead', 'markReplayed'] },
    { guard: 'servesAppendedWakes', actions: 'recordRead' },
  ],
} as const;

/**
 * One pull-wake subscription and the runner's wake stream, as the Durable Streams service and the agents server saw
 * them. The service issues one wake at a time: it appends a wake event only when no wake is outstanding; a claim takes
 * the lease; a done or the lease's expiry ends the wake. Each process reads only what was appended, after where it started, each wake
 * once; every claim answer is for a wake it was served. The `replay` region holds the invariant of defect A: no
 * process is served a wake others had processed before it began reading (every claim up to it answered, and done where granted).
 */
export const wakeStreamMachine = setup({
  types: { context: {} as WakeStreamContext, events: {} as WakeStreamEvent, input: {} as WakeStreamInput },
  guards: {
    servesAppendedWakes,
    isReplay: (args) => {
      const { context, event } = args;
      if (event.type !== 'WAKE_STREAM_READ' || !servesAppendedWakes(args) || readerOf(context, event.process)?.replayed) return false;
      const reader = readerOf(context, event.process);
      const processed = reader ? reader.processedAtStart : processedAtStartOf(context, event.process);
      return processed !== undefined && event.offsets.some((offset) => offset <= processed);
    },
    resumeFollowsSource: ({ context, event }) => {
      if (event.type !== 'REGISTERED') return false;
      if (context.resumeSource === 'reported') return event.resumeOffset === (context.diagnostics ?? null);
      if (context.resumeSource === 'acked-seek') return event.resumeOffset === settledPrefixEnd(context);
      if (context.resumeSource === 'claimed-seek') return event.resumeOffset === claimedPrefixEnd(context);
      return event.resumeOffset === null;
    },
    storesAPlausibleMark: ({ context, event }) =>
      event.type === 'HEARTBEAT_STORED' && (context.offsetMode !== 'durable' || event.offset === '-1' || context.appended.includes(event.offset)),
    // A claim retried after its answer was lost (claim-retry) is answered again, a skip: the process already holds it.
    answersAServedWake: ({ context, event }) =>
      event.type === 'CLAIM_ANSWERED' &&
      (event.outcome === 'refused' ||
        // A claim made on a done's `next_wake: true` may be granted a wake no event announced (answer-only), or one
        // whose event the process has not read yet (the claim on the answer overtook the read).
        (event.outcome === 'granted' && context.leased && (context.unannounced || context.toldNextWake.includes(event.process))) ||
        unansweredIndex(readerOf(context, event.process)) >= 0 ||
        // A claim retried after its grant was lost on the wire, granted again: the service lost the first lease (a
        // restart) and re-issued the wake meanwhile.
        (event.outcome === 'granted' && regrantedIndex(readerOf(context, event.process)) >= 0) ||
        (event.outcome === 'skipped' && (readerOf(context, event.process)?.served.length ?? 0) > 0)),
  },
  actions: {
    /** Accepts an event without a state change (`can()` counts only transitions that target or act). */
    accept: () => {},
    recordAppend: assign({
      appended: ({ context, event }) => (event.type === 'WAKE_APPENDED' ? [...context.appended, event.offset] : context.appended),
      outstanding: () => true,
    }),
    recordUnannounced: assign({ outstanding: () => true, unannounced: () => true }),
    recordLease: assign({ leased: () => true }),
    recordRegistration: assign({
      registeredMarks: ({ context, event }) =>
        event.type !== 'REGISTERED' || Object.hasOwn(context.registeredMarks, event.process)
          ? context.registeredMarks
          : { ...context.registeredMarks, [event.process]: processedByOthers(context, event.process) ?? null },
    }),
    recordEnd: assign({ outstanding: () => false, leased: () => false, unannounced: () => false }),
    recordHeartbeat: assign({ diagnostics: ({ context, event }) => (event.type === 'HEARTBEAT_STORED' ? event.offset : context.diagnostics) }),
    recordRead: assign({
      readers: ({ context, event }) => {
        if (event.type !== 'WAKE_STREAM_READ') return context.readers;
        const fresh = event.offsets.map((offset): ServedWake => ({ offset, settled: false, claimedAs: undefined }));
        if (event.first) {
          const reader: Reader = { process: event.process, start: startOf(context, event.from), served: fresh, replayed: false, processedAtStart: processedAtStartOf(context, event.process) };
          return [...context.readers, reader];
        }
        // A wake served again (its first answer lost) is the same wake for the claims that follow.
        return withReader(context, event.process, (reader) => ({
          ...reader,
          served: [...reader.served, ...fresh.filter((wake) => !reader.served.some((known) => known.offset === wake.offset))],
        }));
      },
    }),
    markReplayed: assign({
      readers: ({ context, event }) => (event.type === 'WAKE_STREAM_READ' ? withReader(context, event.process, (reader) => ({ ...reader, replayed: true })) : context.readers),
    }),
    recordClaim: assign({
      // A claim answered (not refused: that one is retried) spends what the done's answer told the process.
      toldNextWake: ({ context, event }) =>
        event.type === 'CLAIM_ANSWERED' && event.outcome !== 'refused' && context.toldNextWake.includes(event.process)
          ? context.toldNextWake.filter((process) => process !== event.process)
          : context.toldNextWake,
      readers: ({ context, event }) => {
        if (event.type !== 'CLAIM_ANSWERED' || event.outcome === 'refused') return context.readers;
        return withReader(context, event.process, (reader) => {
          const index = unansweredIndex(reader);
          // A repeated claim's answer: the wake it is for was answered before. Granted again, it is that wake's
          // claim now (its done names the new wake id).
          if (index < 0) {
            const regranted = event.outcome === 'granted' ? regrantedIndex(reader) : -1;
            if (regranted < 0) return reader;
            return { ...reader, served: reader.served.map((wake, position) => (position === regranted ? { ...wake, claimedAs: event.wakeId ?? '' } : wake)) };
          }
          const answered: ServedWake =
            event.outcome === 'granted' ? { ...reader.served[index]!, claimedAs: event.wakeId ?? '' } : { ...reader.served[index]!, settled: true };
          return { ...reader, served: reader.served.map((wake, position) => (position === index ? answered : wake)) };
        });
      },
    }),
    recordDone: assign({
      toldNextWake: ({ context, event }) =>
        event.type === 'DONE_RECEIVED' && event.nextWake && !context.toldNextWake.includes(event.process) ? [...context.toldNextWake, event.process] : context.toldNextWake,
      // Settled by the process's done, applied or refused: it is done with the wake (as the wake-replay oracle counts).
      readers: ({ context, event }) => {
        if (event.type !== 'DONE_RECEIVED') return context.readers;
        return withReader(context, event.process, (reader) => ({
          ...reader,
          served: reader.served.map((wake) => (wake.claimedAs === event.wakeId ? { ...wake, settled: true } : wake)),
        }));
      },
    }),
  },
}).createMachine({
  id: 'wakeStream',
  description: 'A pull-wake subscription and the wake stream of the runner it wakes, as the servers saw them.',
  context: ({ input }) => ({ ...input, appended: [], readers: [], registeredMarks: {}, diagnostics: undefined, outstanding: false, leased: false, unannounced: false, toldNextWake: [] }),
  type: 'parallel',
  on: {
    CLAIM_ANSWERED: { guard: 'answersAServedWake', actions: 'recordClaim' },
    DONE_RECEIVED: { actions: 'recordDone' },
  },
  states: {
    lease: {
      description: 'The wake of the subscription: at most one is outstanding, from its wake event to its end.',
      initial: 'idle',
      states: {
        idle: {
          description: 'No wake outstanding: work arriving on a linked stream (or a claim finding work) issues one.',
          on: {
            WAKE_APPENDED: { target: 'issued', actions: 'recordAppend' },
            // A done with work pending under pending-wake=answer-only: issued, but announced only by the done's answer.
            WAKE_UNANNOUNCED: { target: 'issued', actions: 'recordUnannounced' },
          },
        },
        issued: {
          description: 'A wake is outstanding (its event in the wake stream, or, under pending-wake=answer-only, told by a done\'s answer alone) and nobody holds the lease: the next claim is granted.',
          on: {
            LEASE_GRANTED: { target: 'leased', actions: 'recordLease' },
            // A restart of the service forgets it; when the service is back, pending work issues a new one.
            WAKE_DROPPED: { target: 'idle', actions: 'recordEnd' },
          },
        },
        leased: {
          description: 'A claim holds the wake: no wake events; the holder sends done, or the lease expires.',
          on: {
            LEASE_RELEASED: { target: 'idle', actions: 'recordEnd' },
            LEASE_EXPIRED: { target: 'idle', actions: 'recordEnd' },
          },
        },
      },
    },
    resume: {
      description: 'What the agents server keeps of where runners are.',
      initial: 'tracking',
      states: {
        tracking: {
          description:
            'Heartbeats store an offset in the diagnostics table; registration returns it (resume-offset=reported), the ' +
            'end of the settled prefix (acked-seek), the end of the claimed prefix (claimed-seek), or nothing (none).',
          on: {
            REGISTERED: { guard: 'resumeFollowsSource', actions: 'recordRegistration' },
            HEARTBEAT_STORED: { guard: 'storesAPlausibleMark', actions: 'recordHeartbeat' },
          },
        },
      },
    },
    replay: {
      description: 'The no-replay invariant (defect A), judged from what the service served each process.',
      initial: 'clean',
      states: {
        clean: { description: 'No process was served a wake another one had processed.', on: READS },
        replayed: {
          tags: ['violation', 'wake-replay'],
          description: 'A process was served a wake another one had processed (defect A); entered again for each such process.',
          on: READS,
        },
      },
    },
  },
});
