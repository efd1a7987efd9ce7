import { currentActor } from '../actors/actorContext.ts';

/** How an error escaped an actor's code: what Node would have ended the process for. */
export type ActorErrorKind = 'unhandled-rejection' | 'uncaught-exception';

/**
 * An error the code of a simulated process never handled: a promise rejected with no handler by the end of the
 * microtask turn, or an exception thrown from a timer or event callback. A real Node process dies of either (exit
 * status 1, the default `--unhandled-rejections=throw` since Node 15), so for the simulation it is the process's
 * death, not the tool's.
 */
export interface ActorError {
  /** The actor (sim/actors/) whose code the error escaped from. */
  readonly actor: string;
  readonly kind: ActorErrorKind;
  readonly error: unknown;
}

/** Told of each {@link ActorError}; the world ends the process. */
export type ActorErrorHandler = (error: ActorError) => void;

const PROCESS_EVENTS = { 'unhandled-rejection': 'unhandledRejection', 'uncaught-exception': 'uncaughtException' } as const;

type Listener = (...args: unknown[]) => void;

/**
 * While a run is installed, routes the process's `unhandledRejection` and `uncaughtException` events that come from
 * an actor's code to `handler`, and every other one (the tool's own code, outside every actor) to the listeners that
 * were there before, untouched: the CLI's internal-error report, vitest's. Node emits `unhandledRejection` in the
 * async context of the rejected promise (Node 20), so {@link currentActor} names the process whose code let it go;
 * the event comes after the microtasks of the step that rejected, before the kernel's drain hop returns, so the
 * moment it is handled is a function of the run's choices.
 *
 * The existing listeners are taken off for the run, because Node calls every listener and the tool's would end the
 * process; the returned function puts them back in their order.
 */
export function routeActorErrors(handler: () => ActorErrorHandler | undefined): () => void {
  const restores = (Object.keys(PROCESS_EVENTS) as ActorErrorKind[]).map((kind) => {
    const event = PROCESS_EVENTS[kind];
    const saved = process.rawListeners(event) as Listener[];
    process.removeAllListeners(event);
    const route: Listener = (error, ...rest) => {
      const actor = currentActor();
      const routed = actor === undefined ? undefined : handler();
      if (routed && actor !== undefined) return routed({ actor, kind, error });
      if (saved.length === 0) throw error; // what Node does with nobody listening: the process ends
      for (const listener of saved) listener.call(process, error, ...rest);
    };
    process.on(event, route);
    return () => {
      process.removeListener(event, route);
      for (const listener of saved) process.on(event, listener);
    };
  });
  return () => {
    for (const restore of restores) restore();
  };
}

/** One line for people: the error's message (or what was thrown), without its stack. */
export function actorErrorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n', 1)[0]!;
}
