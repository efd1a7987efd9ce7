import { inspect } from 'node:util';
import { currentActor } from '../actors/actorContext.ts';
import { MicrotaskSpinError } from '../trace/stepSpin.ts';

/** How an error escaped an actor's code: what Node would have ended the process for. */
export type ActorErrorKind = 'unhandled-rejection' | 'uncaught-exception';

/**
 * An error the code of a simulated process never handled: a promise rejected with no handler by the end of the
 * microtask turn, or an exception thrown from one of its timer callbacks. A real Node process dies of either (exit
 * status 1; `--unhandled-rejections=throw` is the default since Node 15), so for the simulation it is the process's
 * death, not the tool's.
 */
export interface ActorError {
  /** The actor (sim/actors/) whose code the error escaped from. */
  readonly actor: string;
  readonly kind: ActorErrorKind;
  readonly error: unknown;
}

/**
 * Told of each {@link ActorError}; returns true when it took care of it (its owner decides what an actor's death
 * means), false when the actor is none of its own: the error then goes where it would have gone without a run.
 */
export type ActorErrorHandler = (error: ActorError) => boolean;

const PROCESS_EVENTS = { 'unhandled-rejection': 'unhandledRejection', 'uncaught-exception': 'uncaughtException' } as const;

type Listener = ((...args: unknown[]) => void) & { readonly listener?: unknown };

/**
 * While a run is installed, routes the process's `unhandledRejection` and `uncaughtException` events that come from
 * an actor's code to `handler`, and every other one (the tool's own code, outside every actor, or an actor the
 * handler does not own) to the listeners that were there before: the CLI's internal-error report, vitest's.
 *
 * Attribution: Node 20 emits `unhandledRejection` in the async context in which the rejected promise was created, so
 * {@link currentActor} names the process whose code made the promise (tested in test/sim/hermetic.test.ts; a promise
 * one process made and another rejected is blamed on the first). The event comes after the microtasks of the step
 * that rejected, before the kernel's drain hop returns, so the moment it is handled is a function of the run's choices.
 *
 * The existing listeners are taken off for the run, because Node calls every listener and the tool's would end the
 * process. The returned function puts them back ahead of any added meanwhile, in their order, except a `once`
 * listener that was spent on an error passed on to it.
 */
export function routeActorErrors(handler: () => ActorErrorHandler | undefined): () => void {
  const restores = (Object.keys(PROCESS_EVENTS) as ActorErrorKind[]).map((kind) => {
    const event = PROCESS_EVENTS[kind];
    const saved = process.rawListeners(event) as Listener[];
    const spent = new Set<Listener>();
    process.removeAllListeners(event);
    const route = (error: unknown, ...rest: unknown[]): void => {
      // The kernel's own stop of a step that spun, thrown where the code called in: not the process's death, and the
      // run ends at once (the run loop reports the spin).
      if (error instanceof MicrotaskSpinError) return;
      const actor = currentActor();
      if (actor !== undefined && handler()?.({ actor, kind, error }) === true) return;
      const live = saved.filter((listener) => !spent.has(listener));
      if (live.length === 0) return noListener(kind, error);
      for (const listener of live) {
        // A `once` wrapper (rawListeners gives it with its `listener`) is used up by this call.
        if (listener.listener !== undefined) spent.add(listener);
        listener.call(process, error, ...rest);
      }
    };
    process.on(event, route);
    return () => {
      process.removeListener(event, route);
      const kept = saved.filter((listener) => !spent.has(listener));
      for (let index = kept.length - 1; index >= 0; index -= 1) process.prependListener(event as 'uncaughtException', kept[index]! as NodeJS.UncaughtExceptionListener);
    };
  });
  return () => {
    for (const restore of restores) restore();
  };
}

/**
 * What Node does with an error nobody listens for: a rejection becomes an uncaught exception (heard by its listeners,
 * if any), and an uncaught exception is printed and ends the process with status 1.
 */
function noListener(kind: ActorErrorKind, error: unknown): void {
  if (kind === 'unhandled-rejection' && process.listenerCount('uncaughtException') > 0) {
    (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', error, 'unhandledRejection');
    return;
  }
  process.stderr.write(`${inspect(error)}\n`);
  process.exit(1);
}

/** One line for people: the error's name and message (or what was thrown), without its stack; never throws. */
export function actorErrorMessage(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = inspect(error);
  }
  return text.split('\n', 1)[0]!;
}
