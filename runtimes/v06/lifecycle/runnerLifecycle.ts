import { assign, fromPromise, setup, type StateValue } from 'xstate';
import { V06_TIMING } from '../config/timing.ts';

/** Events the lifecycle takes from its runner. */
export type RunnerLifecycleEvent =
  | { readonly type: 'START' }
  /** A graceful stop: from any running state. */
  | { readonly type: 'STOP' }
  /** Drop the wake stream and reconnect (two heartbeat failures in a row); taken in every running state (B5). */
  | { readonly type: 'STREAM_RESET' };

/** A connected wake stream as the lifecycle passes it from `connecting` to `streaming`: it only needs to close it. */
export interface ClosableStream {
  close(): void;
}

/** The work the lifecycle's invoked actors do; each gets a signal that aborts when its state is left. */
export interface LifecycleWork<S extends ClosableStream> {
  /** Opens the wake stream from the runner's current offset; resolves once the first answer arrived. */
  connect(signal: AbortSignal): Promise<S>;
  /** Reads the connected stream until it fails or ends (then rejects or resolves), or `signal` aborts. */
  follow(stream: S, signal: AbortSignal): Promise<unknown>;
  /** Called as the stop begins, before anything is awaited: from now on no claim may be dispatched. */
  beginStop(): void;
  /** The rest of a graceful stop: settle claims, drain wakes, final heartbeat. */
  drain(): Promise<void>;
}

/** Reconnect backoff bounds; the defaults are the runner's. */
export interface BackoffBounds {
  readonly firstMs: number;
  readonly maxMs: number;
}

/** The lifecycle's own memory. */
export interface RunnerLifecycleContext<S extends ClosableStream> {
  /** The wait before the next connect attempt after a failure. */
  readonly backoffMs: number;
  /** The stream `connecting` opened, while `streaming` reads it. */
  readonly stream: S | undefined;
}

/**
 * The pull-wake runner's lifecycle as an XState v5 machine, shaped like the upstream runner's since the fix of B5:
 *
 * `stopped --START--> running.connecting --connected--> running.streaming`; a connect error, a stream error or the
 * stream's end goes to `running.reconnecting`, which waits out a backoff (1 s, doubled per failure up to 30 s, reset
 * once streaming) and connects again. `STREAM_RESET` is taken in every running state — in `connecting` it abandons a
 * connect that may hang forever (the deaf runner of B5); in `reconnecting` there is nothing left to reset. `STOP` from
 * any running state goes to `stopping`, which drains, then `stopped`.
 *
 * The connect and the read are invoked actors, so leaving their state (a reset, a stop) aborts them.
 */
export function createRunnerLifecycle<S extends ClosableStream>(work: LifecycleWork<S>, backoff: BackoffBounds = { firstMs: V06_TIMING.reconnectFirstBackoffMs, maxMs: V06_TIMING.reconnectMaxBackoffMs }) {
  return setup({
    types: {
      context: {} as RunnerLifecycleContext<S>,
      events: {} as RunnerLifecycleEvent,
    },
    actors: {
      connectWakeStream: fromPromise<S>(({ signal }) => work.connect(signal)),
      followWakeStream: fromPromise<unknown, { readonly stream: S }>(({ input, signal }) => work.follow(input.stream, signal)),
      drainForStop: fromPromise<void>(() => work.drain()),
    },
    delays: {
      reconnectBackoff: ({ context }) => context.backoffMs,
    },
    actions: {
      beginStop: () => work.beginStop(),
      closeStream: ({ context }) => context.stream?.close(),
      forgetStream: assign({ stream: () => undefined }),
      resetBackoff: assign({ backoffMs: () => backoff.firstMs }),
      growBackoff: assign({ backoffMs: ({ context }) => Math.min(context.backoffMs * 2, backoff.maxMs) }),
      /** Nothing to do, but an action, so that the event counts as handled (`snapshot.can` ignores empty transitions). */
      keepWaiting: () => {},
    },
  }).createMachine({
    id: 'pullWakeRunner',
    context: { backoffMs: backoff.firstMs, stream: undefined },
    initial: 'stopped',
    states: {
      stopped: {
        on: { START: 'running' },
      },
      running: {
        initial: 'connecting',
        on: { STOP: 'stopping' },
        states: {
          connecting: {
            invoke: {
              src: 'connectWakeStream',
              onDone: { target: 'streaming', actions: [assign({ stream: ({ event }) => event.output }), 'resetBackoff'] },
              onError: 'reconnecting',
            },
            on: { STREAM_RESET: 'reconnecting' },
          },
          streaming: {
            invoke: {
              src: 'followWakeStream',
              input: ({ context }) => ({ stream: context.stream! }),
              onDone: 'reconnecting',
              onError: 'reconnecting',
            },
            exit: ['closeStream', 'forgetStream'],
            on: { STREAM_RESET: 'reconnecting' },
          },
          reconnecting: {
            after: { reconnectBackoff: { target: 'connecting', actions: 'growBackoff' } },
            // Accepted so that no running state ignores a reset; the stream is already down and a connect is due.
            on: { STREAM_RESET: { actions: 'keepWaiting' } },
          },
        },
      },
      stopping: {
        entry: 'beginStop',
        invoke: { src: 'drainForStop', onDone: 'stopped', onError: 'stopped' },
      },
    },
  });
}

/** The machine of one runner, whatever stream type it connects. */
export type RunnerLifecycleMachine<S extends ClosableStream> = ReturnType<typeof createRunnerLifecycle<S>>;

/** The lifecycle states under the names upstream reports (and the runner annotates). */
export type LifecycleStateName = 'stopped' | 'connecting' | 'streaming' | 'reconnecting' | 'stopping';

/** The reported name of a lifecycle snapshot's state: `running.streaming` is `streaming`. */
export function lifecycleStateName(snapshot: { readonly value: StateValue }): LifecycleStateName {
  const value = snapshot.value;
  if (typeof value === 'string') return value as LifecycleStateName;
  return (value as { running: LifecycleStateName }).running;
}
