/**
 * The real `setImmediate`, captured when the kernel loads: a hermetic run replaces the global one with a virtual
 * timer (sim/hermetic/), and the drain between steps must still be a real macrotask hop.
 */
const realSetImmediate = setImmediate;

/**
 * Resolves once the microtask queue is empty. A macrotask hop is the only guarantee: Node runs every queued
 * microtask and `nextTick` before it reaches the check phase. About 3 µs on Node 20; counted `await` ticks would be
 * cheaper but leave long promise chains unfinished, which makes the order of native promise jobs depend on chain
 * length instead of on the recorded choices.
 */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
