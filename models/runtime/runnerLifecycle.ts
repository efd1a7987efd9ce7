import { assign, setup } from 'xstate';
import type { OffsetMode } from '../modelConfig.ts';
import type { ModelEvent } from '../modelEvents.ts';

/** The events the runner lifecycle follows. */
export type RunnerLifecycleEvent = Extract<ModelEvent, { type: 'RUNNER_START' | 'RUNNER_STATE' | 'WAKE_READ' | 'CLAIM_SETTLED' | 'PROCESS_EXIT' }>;

export interface RunnerLifecycleContext {
  readonly offsetMode: OffsetMode;
  /** The last wake stream offset this runner read: reads only move forward within one runner. */
  readonly lastReadOffset: string | undefined;
}

const reported = (state: string) => ({ event }: { event: RunnerLifecycleEvent }) => event.type === 'RUNNER_STATE' && event.state === state;

/**
 * One host process's pull-wake runner: `registering --RUNNER_START--> stopped --connecting--> running.connecting
 * --streaming--> running.streaming`; connect errors and stream resets go to `running.reconnecting` and back to
 * `connecting` after a backoff; a stop from any running state goes through `stopping` to `halted`. A crash ends it
 * wherever it is. Where a new runner may start reading is fixed by the `offset` switch.
 */
export const runnerLifecycleMachine = setup({
  types: {
    context: {} as RunnerLifecycleContext,
    events: {} as RunnerLifecycleEvent,
    input: {} as { offsetMode: OffsetMode },
  },
  guards: {
    startFollowsOffsetSwitch: ({ context, event }) => {
      if (event.type !== 'RUNNER_START') return false;
      switch (context.offsetMode) {
        case 'minus-one':
          // From `-1` whatever the server reported: a resume offset the world keeps (`resume-offset` set apart from
          // `offset`, as `--config hardened --offset minus-one` does) is ignored, not a different start.
          return event.start === 'beginning';
        case 'tail':
          return event.start === 'tail';
        default:
          // The resume offset from registration, or `-1` when there is none yet (or it is `-1`).
          return event.start === 'beginning' || (event.start === 'registered' && event.registered);
      }
    },
    toConnecting: reported('connecting'),
    toStreaming: reported('streaming'),
    toReconnecting: reported('reconnecting'),
    toStopping: reported('stopping'),
    toStopped: reported('stopped'),
    readMovesForward: ({ context, event }) =>
      event.type === 'WAKE_READ' && (context.lastReadOffset === undefined || event.offset > context.lastReadOffset),
    crashed: ({ event }) => event.type === 'PROCESS_EXIT' && event.reason === 'crash',
    exitedGracefully: ({ event }) => event.type === 'PROCESS_EXIT' && event.reason === 'graceful',
  },
  actions: {
    /** Accepts an event without a state change (`can()` counts only transitions that target or act). */
    accept: () => {},
    recordRead: assign({ lastReadOffset: ({ context, event }) => (event.type === 'WAKE_READ' ? event.offset : context.lastReadOffset) }),
  },
}).createMachine({
  id: 'runnerLifecycle',
  description: 'The pull-wake runner of one host process.',
  context: ({ input }) => ({ offsetMode: input.offsetMode, lastReadOffset: undefined }),
  initial: 'registering',
  on: {
    PROCESS_EXIT: { guard: 'crashed', target: '.crashed' },
  },
  states: {
    registering: {
      description: 'The host registers its runner with the agents server; the registration answer fixes the start offset.',
      on: {
        RUNNER_START: { guard: 'startFollowsOffsetSwitch', target: 'stopped' },
        // A redeploy before the registration answer ends the process here; a crash is handled at the root.
        PROCESS_EXIT: { guard: 'exitedGracefully', target: 'exited' },
      },
    },
    stopped: {
      description: 'A new runner object, built with the start offset, not yet started.',
      on: { RUNNER_STATE: { guard: 'toConnecting', target: 'running.connecting' } },
    },
    running: {
      description: 'Started: reading the wake stream, or trying to.',
      initial: 'connecting',
      on: {
        RUNNER_STATE: { guard: 'toStopping', target: 'stopping' },
        CLAIM_SETTLED: { actions: 'accept' },
      },
      states: {
        connecting: {
          description: 'First read of the wake stream from the current offset.',
          on: {
            RUNNER_STATE: [
              { guard: 'toStreaming', target: 'streaming' },
              { guard: 'toReconnecting', target: 'reconnecting' },
            ],
          },
        },
        streaming: {
          description: 'Long-poll reads; each item advances the in-memory offset, each wake event spawns a claim.',
          on: {
            WAKE_READ: { guard: 'readMovesForward', actions: 'recordRead' },
            RUNNER_STATE: { guard: 'toReconnecting', target: 'reconnecting' },
          },
        },
        reconnecting: {
          description: 'Waiting out a backoff (1 s doubling to 30 s) after a read error or a stream reset.',
          on: { RUNNER_STATE: { guard: 'toConnecting', target: 'connecting' } },
        },
      },
    },
    stopping: {
      description: 'Graceful stop: claims aborted (waited for up to 1 s), in-flight wakes drained, final heartbeat sent.',
      on: { RUNNER_STATE: { guard: 'toStopped', target: 'halted' } },
    },
    halted: {
      description: 'Stopped after a graceful stop; the process exits next.',
      on: { PROCESS_EXIT: { guard: 'exitedGracefully', target: 'exited' } },
    },
    exited: { type: 'final', description: 'The process ended after a graceful stop (a redeploy).' },
    crashed: { type: 'final', description: 'The process was killed: every in-memory state, the read offset included, is lost.' },
  },
});
