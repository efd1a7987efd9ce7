import { assign, setup } from 'xstate';
import type { OffsetMode } from '../modelConfig.ts';
import type { SystemEvent } from './systemEvents.ts';

/** The events the server's view of a runner follows (each about this runner's host process). */
export type ServerRunnerEvent = Extract<
  SystemEvent,
  { type: 'REGISTERED' | 'WAKE_STREAM_READ' | 'CLAIM_ANSWERED' | 'DONE_RECEIVED' | 'HEARTBEAT_STORED' | 'STOP_REQUESTED' | 'PROCESS_EXIT' }
>;

export interface ServerRunnerContext {
  /** The runtime's `offset` switch; undefined for a runtime that has none (then any start it may take is accepted). */
  readonly offsetMode: OffsetMode | undefined;
  /** What registration returned: an offset, null for none; undefined before registration. */
  readonly resume: string | null | undefined;
}

/**
 * Where the `offset` switch says a new runner's first read of its wake stream starts (semantics.md §4): `-1` for
 * minus-one, `now` for tail, and otherwise the offset registration returned (`-1` when it returned none). A runtime
 * without the switch may start at any of them.
 */
export function expectedStarts(context: ServerRunnerContext): readonly string[] {
  const registered = context.resume ?? '-1';
  if (context.offsetMode === undefined) return ['-1', 'now', registered];
  if (context.offsetMode === 'minus-one') return ['-1'];
  if (context.offsetMode === 'tail') return ['now'];
  return [registered];
}

/**
 * What a process that is stopping or gone may still show the servers: the requests it sent before, which arrive and are
 * answered (a read the service held open, a claim, a done, a heartbeat, a registration).
 */
const IN_FLIGHT = {
  WAKE_STREAM_READ: [
    { guard: 'startsWhereTheSwitchSays', actions: 'accept' },
    { guard: 'laterRead', actions: 'accept' },
  ],
  CLAIM_ANSWERED: { actions: 'accept' },
  DONE_RECEIVED: { actions: 'accept' },
  HEARTBEAT_STORED: { actions: 'accept' },
  REGISTERED: { actions: 'recordResume' },
} as const;

/**
 * One host process's runner as the servers see it, whatever runtime it runs: it registers, reads its wake stream
 * (first from where the `offset` switch says), claims the wakes it was served, sends done and heartbeats; a stop the
 * platform asked for may still see requests that were in flight; the process ends, gracefully or not.
 */
export const serverRunnerMachine = setup({
  types: { context: {} as ServerRunnerContext, events: {} as ServerRunnerEvent, input: {} as { offsetMode: OffsetMode | undefined } },
  guards: {
    startsWhereTheSwitchSays: ({ context, event }) => event.type === 'WAKE_STREAM_READ' && event.first && expectedStarts(context).includes(event.from),
    laterRead: ({ event }) => event.type === 'WAKE_STREAM_READ' && !event.first,
    crashed: ({ event }) => event.type === 'PROCESS_EXIT' && event.reason === 'crash',
    exitedGracefully: ({ event }) => event.type === 'PROCESS_EXIT' && event.reason === 'graceful',
  },
  actions: {
    /** Accepts an event without a state change (`can()` counts only transitions that target or act). */
    accept: () => {},
    recordResume: assign({ resume: ({ context, event }) => (event.type === 'REGISTERED' ? event.resumeOffset : context.resume) }),
  },
}).createMachine({
  id: 'serverRunner',
  description: 'The runner of one host process, as the agents server and the Durable Streams service see it.',
  context: ({ input }) => ({ offsetMode: input.offsetMode, resume: undefined }),
  initial: 'unregistered',
  on: {
    PROCESS_EXIT: [
      { guard: 'crashed', target: '.crashed' },
      { guard: 'exitedGracefully', target: '.exited' },
    ],
  },
  states: {
    unregistered: {
      description: 'The process started; its runner has not registered (it knows no wake stream yet).',
      on: { REGISTERED: { target: 'registered', actions: 'recordResume' }, STOP_REQUESTED: 'stopping' },
    },
    registered: {
      description: 'Registered: the answer named its wake stream and maybe a resume offset; no read yet.',
      on: {
        WAKE_STREAM_READ: { guard: 'startsWhereTheSwitchSays', target: 'reading' },
        REGISTERED: { actions: 'recordResume' },
        HEARTBEAT_STORED: { actions: 'accept' },
        STOP_REQUESTED: 'stopping',
      },
    },
    reading: {
      description: 'Reading its wake stream: each wake served leads to a claim; granted wakes end with done; heartbeats.',
      on: {
        WAKE_STREAM_READ: { guard: 'laterRead', actions: 'accept' },
        CLAIM_ANSWERED: { actions: 'accept' },
        DONE_RECEIVED: { actions: 'accept' },
        HEARTBEAT_STORED: { actions: 'accept' },
        REGISTERED: { actions: 'recordResume' },
        STOP_REQUESTED: 'stopping',
      },
    },
    stopping: {
      description: 'SIGTERM: requests already on the wire still arrive (a claim, a done, the final heartbeat, a read).',
      on: IN_FLIGHT,
    },
    exited: { description: 'The process ended after a graceful stop (a redeploy); requests it sent still arrive.', on: IN_FLIGHT },
    crashed: { description: 'The process was killed: whatever it had not sent is lost; what it sent still arrives.', on: IN_FLIGHT },
  },
});
