import { assign, setup } from 'xstate';
import type { OffsetMode } from './modelConfig.ts';
import type { ModelEvent } from './modelEvents.ts';

/** The events the wake stream model follows. */
export type WakeStreamEvent = Extract<
  ModelEvent,
  {
    type:
      | 'WAKE_APPENDED'
      | 'LEASE_GRANTED'
      | 'LEASE_RELEASED'
      | 'LEASE_EXPIRED'
      | 'WAKE_READ'
      | 'CLAIM_SETTLED'
      | 'REGISTERED'
      | 'HEARTBEAT_STORED'
      | 'RUNNER_START';
  }
>;

interface ReadRecord {
  readonly offset: string;
  readonly settled: boolean;
}

interface Reader {
  readonly process: string;
  /** Where it started: `-1`, or the offset it resumed after (for a `now` start, the tail at that moment). */
  readonly start: string;
  readonly reads: readonly ReadRecord[];
}

export interface WakeStreamContext {
  readonly offsetMode: OffsetMode;
  /** Offsets of the wake events appended to the runner's wake stream, in order. */
  readonly appended: readonly string[];
  /** Per runner process, in start order: where it started, the wakes it read and whether their claims settled. */
  readonly readers: readonly Reader[];
  /** The offset the agents server stored from the last heartbeat it received (its diagnostics table). */
  readonly diagnostics: string | undefined;
  /**
   * The resume offset the pending registration returned (null: none), consumed by the runner start that follows it;
   * undefined when no registration is pending.
   */
  readonly lastResume: string | null | undefined;
}

function readersWithRead(context: WakeStreamContext, process: string, offset: string): WakeStreamContext['readers'] {
  return context.readers.map((reader) => (reader.process === process ? { ...reader, reads: [...reader.reads, { offset, settled: false }] } : reader));
}

/** A runner reads only appended wakes, and only after the position it started from. */
function readsAfterItsStart(context: WakeStreamContext, process: string, offset: string): boolean {
  if (!context.appended.includes(offset)) return false;
  const reader = context.readers.find((candidate) => candidate.process === process);
  return reader !== undefined && (reader.start === '-1' || offset > reader.start);
}

const STORES_SETTLED_MARK: readonly OffsetMode[] = ['durable'];
const RETURNS_REPORTED_OFFSET: readonly OffsetMode[] = ['durable', 'durable-raw'];

/** Highest offset an earlier runner had processed: the end of its longest prefix of settled claims. */
export function processedByEarlierRunners(context: WakeStreamContext, process: string): string | undefined {
  let mark: string | undefined;
  for (const reader of context.readers) {
    if (reader.process === process) continue;
    for (const read of reader.reads) {
      if (!read.settled) break;
      if (mark === undefined || read.offset > mark) mark = read.offset;
    }
  }
  return mark;
}

/**
 * One pull-wake subscription and the runner's wake stream. The service appends a wake event only while the
 * subscription is not leased; a claim takes the lease; an ack with `done` or the lease's expiry gives it back. Runners
 * read only what was appended. The `replay` region holds the invariant that no runner re-reads a wake an earlier runner
 * had processed (every claim up to it settled).
 */
export const wakeStreamMachine = setup({
  types: { context: {} as WakeStreamContext, events: {} as WakeStreamEvent, input: {} as { offsetMode: OffsetMode } },
  guards: {
    readsAppendedWake: ({ context, event }) => event.type === 'WAKE_READ' && readsAfterItsStart(context, event.process, event.offset),
    resumeFollowsOffsetSwitch: ({ context, event }) => {
      if (event.type !== 'REGISTERED') return false;
      if (RETURNS_REPORTED_OFFSET.includes(context.offsetMode)) return event.resumeOffset === (context.diagnostics ?? null);
      if (context.offsetMode === 'server-seek') return event.resumeOffset === '-1' || context.appended.includes(event.resumeOffset ?? '');
      return event.resumeOffset === null;
    },
    storesAPlausibleMark: ({ context, event }) =>
      event.type === 'HEARTBEAT_STORED' &&
      (!STORES_SETTLED_MARK.includes(context.offsetMode) || event.offset === '-1' || context.appended.includes(event.offset)),
    startsWhereRegistrationSaid: ({ context, event }) => {
      if (event.type !== 'RUNNER_START') return false;
      if (context.lastResume === undefined) return false;
      if (context.offsetMode === 'tail') return event.startOffset === 'now';
      return event.startOffset === (context.lastResume ?? '-1');
    },
    isReplay: ({ context, event }) => {
      if (event.type !== 'WAKE_READ' || !readsAfterItsStart(context, event.process, event.offset)) return false;
      const processed = processedByEarlierRunners(context, event.process);
      return processed !== undefined && event.offset <= processed;
    },
    settlesAReadClaim: ({ context, event }) =>
      event.type === 'CLAIM_SETTLED' &&
      context.readers.some((reader) => reader.process === event.process && reader.reads.some((read) => read.offset === event.offset && !read.settled)),
  },
  actions: {
    recordResume: assign({ lastResume: ({ context, event }) => (event.type === 'REGISTERED' ? event.resumeOffset : context.lastResume) }),
    recordHeartbeat: assign({ diagnostics: ({ context, event }) => (event.type === 'HEARTBEAT_STORED' ? event.offset : context.diagnostics) }),
    addReader: assign({
      lastResume: () => undefined,
      readers: ({ context, event }) => {
        if (event.type !== 'RUNNER_START') return context.readers;
        const start = event.startOffset === 'now' ? (context.appended[context.appended.length - 1] ?? '-1') : event.startOffset;
        return [...context.readers, { process: event.process, start, reads: [] }];
      },
    }),
    recordAppend: assign({ appended: ({ context, event }) => (event.type === 'WAKE_APPENDED' ? [...context.appended, event.offset] : context.appended) }),
    recordRead: assign({ readers: ({ context, event }) => (event.type === 'WAKE_READ' ? readersWithRead(context, event.process, event.offset) : context.readers) }),
    recordSettle: assign({
      readers: ({ context, event }) => {
        if (event.type !== 'CLAIM_SETTLED') return context.readers;
        let done = false;
        return context.readers.map((reader) =>
          reader.process !== event.process
            ? reader
            : {
                ...reader,
                reads: reader.reads.map((read) => {
                  if (done || read.offset !== event.offset || read.settled) return read;
                  done = true;
                  return { offset: read.offset, settled: true };
                }),
              },
        );
      },
    }),
  },
}).createMachine({
  id: 'wakeStream',
  description: 'A pull-wake subscription and the wake stream of the runner it wakes.',
  context: ({ input }) => ({ offsetMode: input.offsetMode, appended: [], readers: [], diagnostics: undefined, lastResume: undefined }),
  type: 'parallel',
  on: {
    CLAIM_SETTLED: { guard: 'settlesAReadClaim', actions: 'recordSettle' },
  },
  states: {
    lease: {
      description: 'Who may work on the subscription.',
      initial: 'unleased',
      states: {
        unleased: {
          description: 'No holder: an append to a linked stream appends a wake event (next generation).',
          on: {
            WAKE_APPENDED: { actions: 'recordAppend' },
            LEASE_GRANTED: { target: 'leased' },
          },
        },
        leased: {
          description: 'A claim holds the subscription: no wake events; the holder acks with done, or the lease expires.',
          on: {
            LEASE_RELEASED: { target: 'unleased' },
            LEASE_EXPIRED: { target: 'unleased' },
          },
        },
      },
    },
    resume: {
      description: 'Where runners start reading.',
      initial: 'tracking',
      states: {
        tracking: {
          description:
            'Where a new runner starts (the offset switch): heartbeats store an offset on the server; registration ' +
            'returns it (durable, durable-raw), the settled prefix (server-seek), or nothing; the runner starts there, ' +
            'at -1, or at the tail (tail).',
          on: {
            REGISTERED: { guard: 'resumeFollowsOffsetSwitch', actions: 'recordResume' },
            HEARTBEAT_STORED: { guard: 'storesAPlausibleMark', actions: 'recordHeartbeat' },
            RUNNER_START: { guard: 'startsWhereRegistrationSaid', actions: 'addReader' },
          },
        },
      },
    },
    replay: {
      description: 'The no-replay invariant (defect A).',
      initial: 'clean',
      states: {
        clean: {
          description: 'Every wake read so far was new to the runner reading it.',
          on: {
            WAKE_READ: [
              { guard: 'isReplay', target: 'replayed', actions: 'recordRead' },
              { guard: 'readsAppendedWake', actions: 'recordRead' },
            ],
          },
        },
        replayed: {
          tags: ['violation', 'wake-replay'],
          description: 'A runner re-read a wake an earlier runner had processed (defect A).',
          on: { WAKE_READ: { guard: 'readsAppendedWake', actions: 'recordRead' } },
        },
      },
    },
  },
});
