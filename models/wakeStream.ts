import { assign, setup } from 'xstate';
import type { ModelEvent } from './modelEvents.ts';

/** The events the wake stream model follows. */
export type WakeStreamEvent = Extract<
  ModelEvent,
  { type: 'WAKE_APPENDED' | 'LEASE_GRANTED' | 'LEASE_RELEASED' | 'LEASE_EXPIRED' | 'WAKE_READ' | 'CLAIM_SETTLED' }
>;

interface ReadRecord {
  readonly offset: string;
  readonly settled: boolean;
}

export interface WakeStreamContext {
  /** Offsets of the wake events appended to the runner's wake stream, in order. */
  readonly appended: readonly string[];
  /** Per runner process, in start order: the wakes it read and whether their claims settled. */
  readonly readers: ReadonlyArray<{ readonly process: string; readonly reads: readonly ReadRecord[] }>;
}

function readersWithRead(context: WakeStreamContext, process: string, offset: string): WakeStreamContext['readers'] {
  const known = context.readers.some((reader) => reader.process === process);
  const readers = known ? context.readers : [...context.readers, { process, reads: [] }];
  return readers.map((reader) => (reader.process === process ? { process, reads: [...reader.reads, { offset, settled: false }] } : reader));
}

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
  types: { context: {} as WakeStreamContext, events: {} as WakeStreamEvent },
  guards: {
    readsAppendedWake: ({ context, event }) => event.type === 'WAKE_READ' && context.appended.includes(event.offset),
    isReplay: ({ context, event }) => {
      if (event.type !== 'WAKE_READ' || !context.appended.includes(event.offset)) return false;
      const processed = processedByEarlierRunners(context, event.process);
      return processed !== undefined && event.offset <= processed;
    },
    settlesAReadClaim: ({ context, event }) =>
      event.type === 'CLAIM_SETTLED' &&
      context.readers.some((reader) => reader.process === event.process && reader.reads.some((read) => read.offset === event.offset && !read.settled)),
  },
  actions: {
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
                process: reader.process,
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
  context: { appended: [], readers: [] },
  type: 'parallel',
  on: {
    CLAIM_SETTLED: { guard: 'settlesAReadClaim', actions: 'recordSettle' },
  },
  states: {
    lease: {
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
    replay: {
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
