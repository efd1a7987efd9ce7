import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which actor (a simulated process) the code running now belongs to. Code started with {@link runAsActor} keeps its
 * actor across `await`, promise callbacks and virtual timers, so the kernel can tell whose timer a timeout is
 * (a process that dies takes its timers with it) and whose network a global `fetch` should use, without the code
 * under simulation passing anything around — it may be a runtime we did not write.
 *
 * Node's AsyncLocalStorage follows promise continuations by the context in which they were registered, which is a
 * function of the program, not of timing: attribution is as deterministic as the run.
 */
const storage = new AsyncLocalStorage<string>();

/** Runs `body` (and everything it starts) as `actor`. */
export function runAsActor<T>(actor: string, body: () => T): T {
  return storage.run(actor, body);
}

/** The actor of the code running now, or undefined outside every actor (the kernel, the world's services). */
export function currentActor(): string | undefined {
  return storage.getStore();
}

/** Runs `body` outside every actor: for kernel work started from actor code that must not be attributed to it. */
export function runOutsideActors<T>(body: () => T): T {
  return storage.exit(body);
}
