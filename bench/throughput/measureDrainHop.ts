import { drainMicrotasks } from '../../sim/scheduler/drainMicrotasks.ts';

/**
 * Microseconds one drain hop costs on this machine now: the macrotask hop every scheduler step pays
 * ({@link drainMicrotasks}), timed over `hops` hops in a row. The floor of a step's cost; the bench reports steps as
 * multiples of it, measured just before, so a figure from a loaded machine is still comparable.
 */
export async function measureDrainHopMicroseconds(hops = 20_000): Promise<number> {
  // Early in a process the first forty thousand hops or so cost a third more (5.6 to 5.8 µs against 4.2 after, Node 20
  // on this machine kind): warmed less, the first row's hop read high and its step over hop low.
  for (let warm = 0; warm < 50_000; warm += 1) await drainMicrotasks();
  const started = performance.now();
  for (let hop = 0; hop < hops; hop += 1) await drainMicrotasks();
  return ((performance.now() - started) * 1000) / hops;
}
